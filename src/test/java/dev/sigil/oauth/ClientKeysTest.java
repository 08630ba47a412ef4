package dev.sigil.oauth;

import dev.sigil.support.UnitTest;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.sigil.client.ExchangePolicy;
import dev.sigil.client.RegisteredClient;
import dev.sigil.id.ClientId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jose4j.jwk.JsonWebKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The client JWKS cache, driven by a fake clock against a local key server: no sleeps. */
@UnitTest
class ClientKeysTest {

    private HttpServer server;
    private final AtomicReference<String> served = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ClientKeys keys = new ClientKeys(Duration.ofMinutes(5), now::get);
    private RegisteredClient client;

    @BeforeEach
    void keyServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
        client = new RegisteredClient(new ClientId("keys-test"), null, null, null, List.of(), List.of(), List.of("orders-api"), List.of(), 300,
                true, null, uri, ExchangePolicy.NONE);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** An endless chunked body (no Content-Length): bytes written until the reader closes the connection. */
    private record Endless(String uri, AtomicLong written, java.util.concurrent.CompletableFuture<Long> closedAfter) {
    }

    private Endless endlessBody(int chunk, long pauseMillis) {
        AtomicLong written = new AtomicLong();
        java.util.concurrent.CompletableFuture<Long> closedAfter = new java.util.concurrent.CompletableFuture<>();
        server.createContext("/endless", exchange -> {
            byte[] bytes = ("{\"keys\":[" + " ".repeat(chunk)).getBytes(StandardCharsets.US_ASCII);
            try {
                exchange.sendResponseHeaders(200, 0); // 0: chunked
                while (!closedAfter.isDone()) {
                    exchange.getResponseBody().write(bytes, 0, chunk);
                    exchange.getResponseBody().flush();
                    written.addAndGet(chunk);
                    if (pauseMillis > 0) {
                        Thread.sleep(pauseMillis);
                    }
                }
            } catch (java.io.IOException e) {
                closedAfter.complete(written.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        return new Endless("http://127.0.0.1:" + server.getAddress().getPort() + "/endless", written, closedAfter);
    }

    private RegisteredClient clientAt(String uri) {
        return new RegisteredClient(new ClientId("endless-test"), null, null, null, List.of(), List.of(), List.of("orders-api"), List.of(), 300, true, null, uri, ExchangePolicy.NONE);
    }

    private static String set(String kid) throws Exception {
        RSAKey k = new RSAKeyGenerator(2048).keyID(kid).generate();
        return new JWKSet(k.toPublicJWK()).toString();
    }

    private List<String> kids(boolean unknownKid) {
        return keys.of(client, unknownKid).await().atMost(Duration.ofSeconds(10)).stream().map(JsonWebKey::getKeyId).toList();
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    /** Full, the cache makes room for one set: the sets still in use stay (it used to be cleared as a whole). */
    @Test
    void aFullCacheEvictsOneSetNotAll() throws Exception {
        served.set(set("one"));
        ClientKeys small = new ClientKeys(Duration.ofMinutes(5), now::get, Duration.ofSeconds(5), 2, null);
        for (String query : List.of("a", "b", "c")) {
            small.of(clientAt(client.jwksUri() + "?" + query), false).await().atMost(Duration.ofSeconds(10));
        }

        assertThat(fetches).hasValue(3);
        assertThat(small.cachedSets()).isEqualTo(2);
    }

    @Test
    void hitsMissesAndTheSizeAreMetered() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ClientKeys metered = new ClientKeys(Duration.ofMinutes(5), now::get, Duration.ofSeconds(5), 10, registry);
        served.set(set("one"));

        metered.of(client, false).await().atMost(Duration.ofSeconds(10));
        metered.of(client, false).await().atMost(Duration.ofSeconds(10));

        assertThat(fetches).hasValue(1);
        assertThat(registry.get("cache.gets").tag("cache", "client-jwks").tag("result", "miss").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("cache.gets").tag("cache", "client-jwks").tag("result", "hit").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("cache.size").tag("cache", "client-jwks").gauge().value()).isEqualTo(1);
    }

    @Test
    void aFetchedSetIsReusedUntilItsTtlThenFetchedAgain() throws Exception {
        served.set(set("one"));
        assertThat(kids(false)).containsExactly("one");
        served.set(set("two"));
        advance(Duration.ofMinutes(4));
        assertThat(kids(false)).containsExactly("one");
        advance(Duration.ofMinutes(2));
        assertThat(kids(false)).containsExactly("two");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void anUnknownKidRefetchesEarlyButAtMostEvery30Seconds() throws Exception {
        served.set(set("one"));
        assertThat(kids(false)).containsExactly("one");
        served.set(set("two"));
        advance(Duration.ofSeconds(10));
        assertThat(kids(true)).containsExactly("one"); // too soon: an attacker cannot make Sigil hammer the URL
        advance(Duration.ofSeconds(21));
        assertThat(kids(true)).containsExactly("two");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void privateOrWeakKeysAndBrokenAnswersGiveNoKeys() throws Exception {
        served.set(new JWKSet(new RSAKeyGenerator(2048).keyID("private").generate()).toString(false));
        assertThat(kids(false)).isEmpty();
        advance(Duration.ofMinutes(6));
        served.set("not json");
        assertThat(kids(false)).isEmpty();
    }

    @Test
    void aFetchedKeyWithAWeakExponentIsDropped() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(new java.security.spec.RSAKeyGenParameterSpec(2048, java.math.BigInteger.valueOf(3)));
        RSAKey weak = new RSAKey.Builder((java.security.interfaces.RSAPublicKey) g.generateKeyPair().getPublic()).keyID("e3").build();
        RSAKey good = new RSAKeyGenerator(2048).keyID("good").generate().toPublicJWK();
        served.set(new JWKSet(List.of(weak, good)).toString());
        assertThat(kids(false)).containsExactly("good");
    }

    @Test
    void anEndlessChunkedBodyIsCutAtTheCapAndTheConnectionClosed() throws Exception {
        Endless endless = endlessBody(16 * 1024, 0);
        List<JsonWebKey> got = keys.of(clientAt(endless.uri()), false).await().atMost(Duration.ofSeconds(3));
        assertThat(got).isEmpty();
        // Sigil closed the connection: the server's next write fails. Before, the body was read whole (OutOfMemoryError).
        long sent = endless.closedAfter().get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(sent).as("bytes the server could write before the close (socket buffers included)").isLessThan(64L << 20);
    }

    @Test
    void aBodyThatTricklesInIsGivenUpAtTheFetchDeadline() throws Exception {
        ClientKeys patient = new ClientKeys(Duration.ofMinutes(5), now::get, Duration.ofSeconds(1));
        Endless slow = endlessBody(16, 50); // 320 bytes/s: under the cap for minutes
        // The request timeout alone ends at the headers: without the fetch deadline this waits for minutes.
        assertThat(patient.of(clientAt(slow.uri()), false).await().atMost(Duration.ofSeconds(5))).isEmpty();
        slow.closedAfter().get(5, java.util.concurrent.TimeUnit.SECONDS); // and the connection is closed, not left dripping
    }
}
