package dev.sigil.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sigil.client.ClientRules;
import dev.sigil.client.RegisteredClient;
import dev.sigil.config.SigilConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
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
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The public keys a client signs its assertions with: its registered JWK set, or the JWK set at its
 * JWKS URL, fetched without blocking (JDK HttpClient, no redirects, at most 64 KiB counted as the body
 * streams, 5 s for the whole fetch from connect to the last byte: a slow or endless body costs no more) and
 * reused for {@code sigil.clients.jwks-cache-ttl}; at most one early refetch per 30 s for an unknown
 * kid. Only acceptable public keys are kept (RSA >= 2048 bits, EC P-256). At most {@link #MAX_ENTRIES} sets
 * are kept: when full, Caffeine evicts the sets least likely to be used again, one at a time (metrics
 * {@code cache_*{cache="client-jwks"}}). A set is cached by its URL, so registering another URL takes effect
 * at once; new keys at the same URL are found by the unknown-kid refetch.
 * <p>
 * SSRF: fetching a URL an admin registered makes Sigil send GET requests into its own network. Only
 * admins register URLs, https is required in prod, redirects are not followed and the answer must be
 * a JWK set; deployments should still let Sigil's egress reach only the hosts that serve client keys.
 */
@ApplicationScoped
@Startup // its cache metrics are exported from the start, not from the first client call
public class ClientKeys {

    private static final int MAX_BYTES = 64 * 1024;
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_ENTRIES = 1000;
    private static final long MIN_REFETCH_NANOS = Duration.ofSeconds(30).toNanos();

    private record Entry(List<JsonWebKey> keys, long fetchedAtNanos) {
    }

    private final HttpClient http;
    private final Cache<String, Entry> fetched;
    private final LongSupplier nanoTime;
    private final Duration fetchTimeout;

    @Inject
    public ClientKeys(SigilConfig config, MeterRegistry registry) {
        this(config.clients().jwksCacheTtl(), System::nanoTime, FETCH_TIMEOUT, MAX_ENTRIES, registry);
    }

    ClientKeys(Duration ttl, LongSupplier nanoTime) {
        this(ttl, nanoTime, FETCH_TIMEOUT);
    }

    ClientKeys(Duration ttl, LongSupplier nanoTime, Duration fetchTimeout) {
        this(ttl, nanoTime, fetchTimeout, MAX_ENTRIES, null);
    }

    /** {@code registry} null: no metrics (unit tests). */
    ClientKeys(Duration ttl, LongSupplier nanoTime, Duration fetchTimeout, int maxEntries, MeterRegistry registry) {
        this.nanoTime = nanoTime;
        this.fetchTimeout = fetchTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(fetchTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        // Expiry on the same clock as the refetch rule, so that a test moves both with one fake clock.
        Cache<String, Entry> cache = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(ttl)
                .ticker(nanoTime::getAsLong).recordStats().build();
        this.fetched = registry == null ? cache : CaffeineCacheMetrics.monitor(registry, cache, "client-jwks");
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
        Entry e = fetched.getIfPresent(uri);
        if (e != null && !(unknownKid && nanoTime.getAsLong() - e.fetchedAtNanos() > MIN_REFETCH_NANOS)) {
            return Uni.createFrom().item(e.keys());
        }
        return fetch(uri).invoke(keys -> fetched.put(uri, new Entry(keys, nanoTime.getAsLong())));
    }

    /** How many sets are cached now, expired ones not counted. */
    long cachedSets() {
        fetched.cleanUp();
        return fetched.estimatedSize();
    }

    private Uni<List<JsonWebKey>> fetch(String uri) {
        Context context = Vertx.currentContext();
        // The answer arrives on the HttpClient's threads; continue on the request's Vert.x context.
        Executor back = context == null ? Runnable::run : task -> context.runOnContext(v -> task.run());
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(fetchTimeout)
                .header("Accept", "application/json").GET().build();
        // The request timeout ends at the response headers; the body's time is bounded here, and the cap
        // counts bytes as they arrive (a chunked answer declares no length).
        CappedBody body = new CappedBody(MAX_BYTES);
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, body::handler))
                .ifNoItem().after(fetchTimeout).failWith(() -> {
                    body.abort();
                    return new HttpTimeoutException("JWKS fetch exceeded " + fetchTimeout);
                })
                .emitOn(back)
                .map(r -> {
                    if (r.statusCode() != 200 || r.body().length == 0) {
                        Log.warnf("Client JWKS at %s answered %d; no keys from it", uri, r.statusCode());
                        return List.<JsonWebKey>of();
                    }
                    return parse(new String(r.body(), StandardCharsets.UTF_8));
                })
                .onFailure().recoverWithItem(e -> {
                    Log.warnf("Client JWKS at %s could not be fetched: %s: %s", uri, e.getClass().getSimpleName(), e.getMessage());
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
