package dev.sigil.oauth;

import dev.sigil.client.ClientRules;
import dev.sigil.client.RegisteredClient;
import dev.sigil.config.SigilConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The public keys a client signs its assertions with: its registered JWK set, or the JWK set at its
 * JWKS URL, fetched without blocking (JDK HttpClient, no redirects, 5 s timeout, at most 64 KiB) and
 * reused for {@code sigil.clients.jwks-cache-ttl}; at most one early refetch per 30 s for an unknown
 * kid. Only acceptable public keys are kept (RSA >= 2048 bits, EC P-256).
 * <p>
 * SSRF: fetching a URL an admin registered makes Sigil send GET requests into its own network. Only
 * admins register URLs, https is required in prod, redirects are not followed and the answer must be
 * a JWK set; deployments should still let Sigil's egress reach only the hosts that serve client keys.
 */
@ApplicationScoped
public class ClientKeys {

    private static final int MAX_BYTES = 64 * 1024;
    private static final int MAX_ENTRIES = 1000;
    private static final long MIN_REFETCH_NANOS = Duration.ofSeconds(30).toNanos();

    private record Entry(List<JsonWebKey> keys, long fetchedAtNanos) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ConcurrentHashMap<String, Entry> fetched = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final LongSupplier nanoTime;

    @Inject
    public ClientKeys(SigilConfig config) {
        this(config.clients().jwksCacheTtl(), System::nanoTime);
    }

    ClientKeys(Duration ttl, LongSupplier nanoTime) {
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The client's keys; {@code unknownKid} asks for a refetch of a URL's set (rate-limited). Empty when none. */
    Uni<List<JsonWebKey>> of(RegisteredClient client, boolean unknownKid) {
        if (client.jwks() != null) {
            return Uni.createFrom().item(() -> parse(client.jwks()));
        }
        if (client.jwksUri() == null) {
            return Uni.createFrom().item(List.of());
        }
        String uri = client.jwksUri();
        Entry e = fetched.get(uri);
        long age = e == null ? Long.MAX_VALUE : nanoTime.getAsLong() - e.fetchedAtNanos();
        if (e != null && age < ttlNanos && !(unknownKid && age > MIN_REFETCH_NANOS)) {
            return Uni.createFrom().item(e.keys());
        }
        return fetch(uri).invoke(keys -> {
            if (fetched.size() >= MAX_ENTRIES) {
                fetched.clear();
            }
            fetched.put(uri, new Entry(keys, nanoTime.getAsLong()));
        });
    }

    private Uni<List<JsonWebKey>> fetch(String uri) {
        Context context = Vertx.currentContext();
        // The answer arrives on the HttpClient's threads; continue on the request's Vert.x context.
        Executor back = context == null ? Runnable::run : task -> context.runOnContext(v -> task.run());
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5))
                .header("Accept", "application/json").GET().build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, info ->
                        info.headers().firstValueAsLong("Content-Length").orElse(0) > MAX_BYTES
                                ? HttpResponse.BodySubscribers.replacing(new byte[0])
                                : HttpResponse.BodySubscribers.ofByteArray()))
                .emitOn(back)
                .map(r -> {
                    if (r.statusCode() != 200 || r.body().length == 0 || r.body().length > MAX_BYTES) {
                        Log.warnf("Client JWKS at %s answered %d; no keys from it", uri, r.statusCode());
                        return List.<JsonWebKey>of();
                    }
                    return parse(new String(r.body(), StandardCharsets.UTF_8));
                })
                .onFailure().recoverWithItem(e -> {
                    Log.warnf("Client JWKS at %s could not be fetched: %s", uri, e.getClass().getSimpleName());
                    return List.of();
                });
    }

    private static List<JsonWebKey> parse(String json) {
        try {
            return new JsonWebKeySet(json).getJsonWebKeys().stream().filter(ClientRules::acceptable).toList();
        } catch (JoseException | RuntimeException e) {
            return List.of();
        }
    }
}
