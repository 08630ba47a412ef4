package dev.sigil.oauth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.sigil.client.RegisteredClient;
import dev.sigil.id.ClientId;
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
                true, null, uri);
    }

    @AfterEach
    void stop() {
        server.stop(0);
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
}
