package dev.sigil.session;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sigil.mfa.IndependentTotp;
import dev.sigil.support.Poll;
import dev.sigil.support.Api;
import dev.sigil.support.FreePorts;
import dev.sigil.support.RedisProcess;
import dev.sigil.support.SetCookie;
import dev.sigil.support.SettableTotpClock;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * sigil.redis.wait-replicas=1 on a Redis without a replica: WAIT, batched with the change, gets no
 * acknowledgement within wait-timeout, so a session change is not confirmed to the client: 503 with
 * Retry-After. With a replica the same changes are confirmed, also when Redis has forgotten the scripts
 * (the NOSCRIPT fallback inside the batch). The replay guards (a used TOTP step, an assertion's jti) wait
 * the same way. RedisTopologiesIT covers failovers on Sentinel and Cluster.
 */
@QuarkusTest
@TestProfile(ReplicaAckTest.WaitForAReplica.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class ReplicaAckTest {

    static final RedisProcess REDIS = new RedisProcess(FreePorts.one());
    static final RedisProcess REPLICA = new RedisProcess(FreePorts.one(), null,
            "--replicaof", "127.0.0.1", Integer.toString(REDIS.port()), "--dir", "target"); // its sync file stays out of the worktree

    public static class WaitForAReplica implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String url = "redis://127.0.0.1:" + REDIS.port();
            return Map.of("quarkus.redis.hosts", url, "%test.quarkus.redis.hosts", url,
                    "sigil.redis.wait-replicas", "1", "sigil.redis.wait-timeout", "PT0.2S");
        }
    }

    @BeforeEach
    void redisIsUp() {
        REDIS.start();
    }

    @AfterAll
    static void stopRedis() {
        REPLICA.stop();
        REDIS.stop();
    }

    @Test
    void aLoginThatNoReplicaAcknowledgedIsNotConfirmed() {
        REPLICA.stop();
        Response r = Api.login(TestUsers.create());
        r.then().statusCode(503).body("code", equalTo("unavailable")).header("Retry-After", equalTo("5"));
        SetCookie.assertSetsNoCookie(r);
    }

    @Test
    void changesThatAReplicaAcknowledgedAreConfirmedEvenAfterRedisForgotItsScripts() throws Exception {
        replicaInSync();
        REDIS.call("SCRIPT", "FLUSH");
        Response login = Api.login(TestUsers.create());
        login.then().statusCode(200);
        REDIS.call("SCRIPT", "FLUSH");
        Api.refresh(Api.refreshCookie(login)).then().statusCode(200);
    }

    @Inject
    SettableTotpClock clock;

    private static void replicaInSync() {
        REPLICA.start();
        Poll.until("replica in sync", java.time.Duration.ofSeconds(20), java.time.Duration.ofMillis(50),
                () -> String.valueOf(REPLICA.call("INFO", "replication")).contains("master_link_status:up"));
    }

    /** A TOTP step once accepted is a replay guard: without a replica's acknowledgement, the code is not accepted. */
    @Test
    void aSecondFactorCodeThatNoReplicaAcknowledgedIsNotAccepted() {
        replicaInSync();
        Instant t0 = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 30 * 30);
        clock.set(t0);
        try {
            TestUsers.TestUser user = TestUsers.create();
            String access = Api.accessToken(Api.loggedIn(user));
            Response started = given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("password", user.password()))
                    .post("/me/mfa/totp");
            started.then().statusCode(200);
            IndependentTotp app = new IndependentTotp(started.jsonPath().getString("otpauth_uri"));
            REPLICA.stop();
            given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("code", app.at(t0))).post("/me/mfa/totp/confirm")
                    .then().statusCode(503).body("code", equalTo("unavailable")).header("Retry-After", equalTo("5"));
            replicaInSync();
            // Fails closed: the step stays used on the master, so the same code is refused; the next one works.
            given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("code", app.at(t0))).post("/me/mfa/totp/confirm")
                    .then().statusCode(not(200));
            given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("code", app.at(t0.plusSeconds(30)))).post("/me/mfa/totp/confirm")
                    .then().statusCode(200);
        } finally {
            clock.set(null);
        }
    }

    /** A private_key_jwt assertion's jti is a replay guard: without a replica's acknowledgement, no token. */
    @Test
    void anAssertionThatNoReplicaAcknowledgedGetsNoToken() throws Exception {
        replicaInSync();
        String admin = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        String id = "ack-" + UUID.randomUUID().toString().substring(0, 12);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("client_id", id, "scopes", List.of("a"),
                "default_scopes", List.of("a"), "audience", List.of("orders-api"), "jwks", new JWKSet(key.toPublicJWK()).toJSONObject()))
                .post("/admin/clients")
                .then().statusCode(201);
        REPLICA.stop();
        assertionGrant(id, key).then().statusCode(503).body("error", equalTo("temporarily_unavailable")).header("Retry-After", equalTo("5"));
        replicaInSync();
        assertionGrant(id, key).then().statusCode(200);
    }

    /** client_credentials with a fresh RS256 assertion of {@code id}, as a stock client sends it. */
    private static Response assertionGrant(String id, RSAKey key) throws Exception {
        SignedJWT assertion = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(id).subject(id).audience(Api.issuer() + "/oauth2/token")
                        .expirationTime(new Date(System.currentTimeMillis() + 60_000)).jwtID(UUID.randomUUID().toString()).build());
        assertion.sign(new RSASSASigner(key));
        return given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .formParam("client_assertion", assertion.serialize()).post("/oauth2/token");
    }
}
