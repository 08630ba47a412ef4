package dev.sigil.oauth;

import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent client checks of several clients, which CommandBatcher sends in shared batches whenever they
 * meet in one event-loop turn: each request still gets its own answer (a token for its own client, or
 * invalid_client for its own wrong secret), each wrong secret counts once against its own (client, address),
 * and every check goes through the batcher exactly once.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class ConcurrentClientChecksTest {

    private static final int CLIENTS = 3;
    private static final int GRANTS_EACH = 20;
    private static final int WRONG_EACH = 3; // below the lockout threshold (5)

    private record Registered(String id, String secret) {
    }

    private static Registered register(String adminToken) {
        String id = "conc-" + UUID.randomUUID().toString().substring(0, 12);
        Response r = given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("client_id", id, "scopes", List.of("a"), "default_scopes", List.of("a"), "audience", List.of("orders-api")))
                .post("/admin/clients");
        r.then().statusCode(201);
        return new Registered(id, r.jsonPath().getString("client_secret"));
    }

    /** {@link #CLIENTS} new clients, each granted a token from {@code address} once: its record cached, the script loaded. */
    private static List<Registered> registerClients(String address) {
        String adminToken = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        List<Registered> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Registered c = register(adminToken);
            grant(c, c.secret(), address).then().statusCode(200);
            clients.add(c);
        }
        return clients;
    }

    private static Response grant(Registered c, String secret, String address) {
        return given().header("X-Forwarded-For", address).auth().preemptive().basic(c.id(), secret)
                .contentType(ContentType.URLENC).formParam("grant_type", "client_credentials").post("/oauth2/token");
    }

    /** The {@code sub} of a token, read from its payload (its signature is other tests' concern). */
    private static String subject(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"sub\":\"([^\"]+)\"").matcher(payload);
        return m.find() ? m.group(1) : null;
    }

    /** Commands that went through CommandBatcher so far ({@code sigil_redis_batch_commands_sum}). */
    private static double batchedCommands() {
        String text = given().accept("text/plain").get("/q/metrics").asString();
        Matcher m = Pattern.compile("(?m)^sigil_redis_batch_commands_sum(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }

    private record Outcome(Registered client, boolean rightSecret, Response response) {
    }

    @Test
    void concurrentChecksOfSeveralClientsEachGetTheirOwnAnswer() throws Exception {
        List<Registered> clients = registerClients("10.9.0.1");
        double before = batchedCommands();

        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<Outcome>> sent = new ArrayList<>();
        try {
            for (int round = 0; round < GRANTS_EACH; round++) {
                for (Registered c : clients) {
                    sent.add(pool.submit(() -> new Outcome(c, true, grant(c, c.secret(), "10.9.0.1"))));
                    if (round < WRONG_EACH) {
                        sent.add(pool.submit(() -> new Outcome(c, false, grant(c, "wrong-" + c.secret(), "10.9.0.2"))));
                    }
                }
            }
            for (Future<Outcome> f : sent) {
                Outcome o = f.get();
                if (o.rightSecret()) {
                    o.response().then().statusCode(200);
                    assertThat(subject(o.response().jsonPath().getString("access_token"))).isEqualTo(o.client().id());
                } else {
                    o.response().then().statusCode(401);
                    assertThat(o.response().jsonPath().getString("error")).isEqualTo("invalid_client");
                }
            }
        } finally {
            pool.shutdownNow();
        }

        for (Registered c : clients) {
            String prefix = "sigil:rl:{c:" + c.id() + "}:";
            assertThat(TestRedis.hash(prefix + "fail:10.9.0.2")).containsEntry("n", Integer.toString(WRONG_EACH));
            assertThat(TestRedis.hash(prefix + "fail:10.9.0.1")).isEmpty();
            assertThat((Long) TestRedis.call("ZCARD", prefix + "busy")).isZero(); // every reservation settled
        }
        assertThat(batchedCommands() - before).isEqualTo(CLIENTS * (GRANTS_EACH + WRONG_EACH));
    }

    /**
     * After Redis forgot its scripts (a restart, SCRIPT FLUSH), a batch of client checks fails as a whole on
     * NOSCRIPT; each check is resent alone, gets NOSCRIPT again and falls back to EVAL, with its own answer.
     */
    @Test
    void checksSentTogetherAfterRedisForgotItsScriptsEachGetTheirOwnAnswer() throws Exception {
        List<Registered> clients = registerClients("10.9.1.1");
        TestRedis.call("SCRIPT", "FLUSH");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Outcome>> sent = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (Registered c : clients) {
                    sent.add(pool.submit(() -> new Outcome(c, true, grant(c, c.secret(), "10.9.1.1"))));
                }
            }
            for (Future<Outcome> f : sent) {
                Outcome o = f.get();
                o.response().then().statusCode(200);
                assertThat(subject(o.response().jsonPath().getString("access_token"))).isEqualTo(o.client().id());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
