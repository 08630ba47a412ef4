package dev.sigil.session;

import dev.sigil.support.Api;
import dev.sigil.support.Poll;
import dev.sigil.support.InjectOwnRedis;
import dev.sigil.support.OwnRedis;
import dev.sigil.support.RedisProcess;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A Redis that is slow rather than down (issue 30): {@code CLIENT PAUSE ... ALL} holds every command
 * in Redis' queue, as a stall does, and lets them run when it ends, after their requests are gone. The
 * test's own Redis ({@link OwnRedis}, with the Sigil boot the other outage tests share), never the shared one.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OwnRedis.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RedisStallTest {

    @InjectOwnRedis
    RedisProcess redis;


    @BeforeEach
    void redisIsUp() {
        redis.start();
        // Answered once a previous test's pause is over (a PING that a pause holds past 5 s fails: ask again).
        Poll.until("a previous test's pause to end", Duration.ofSeconds(30), Duration.ofMillis(100), () -> {
            try {
                return "PONG".equals(redis.call("PING"));
            } catch (IllegalStateException e) {
                return false;
            }
        });
    }

    /** How long the stalls of these tests last: far longer than the call timeout, so that an answer that
     * comes well before the stall ends was bounded by Sigil, whatever the load on the machine. */
    static final Duration STALL = Duration.ofSeconds(8);

    /** Sigil answers before the stall ends, with a margin for a busy machine: it did not wait Redis out. */
    private static void answeredBeforeTheStallEnded(long ms) {
        assertThat(ms).as("answered after %d ms", ms).isLessThan(STALL.toMillis() - 2000);
    }

    /**
     * Finding 3: no Redis call waits out a stall; it answers 503 with Retry-After once its deadline passes
     * ({@code sigil.redis.call-timeout}, 2 s), long before the stall ends.
     */
    @Test
    void aRefreshDuringAStallAnswers503WithinTheCallTimeout() {
        String token = Api.refreshCookie(Api.loggedIn(TestUsers.create()));
        long runs = scriptRuns();
        redis.call("CLIENT", "PAUSE", Long.toString(STALL.toMillis()), "ALL");
        long start = System.nanoTime();
        Response r = Api.refresh(token);
        long ms = (System.nanoTime() - start) / 1_000_000;
        r.then().statusCode(503).contentType("application/problem+json")
                .body("code", equalTo("unavailable")).header("Retry-After", equalTo("5"));
        answeredBeforeTheStallEnded(ms);
        awaitScriptRun(runs);
    }

    /**
     * Finding 2: the rotation queued during the stall runs when Redis wakes, after its request was
     * answered 503. It must write nothing: the client's retry with the same token is a plain rotation, not
     * a grace answer (nor, later than the grace period, theft detection that ends the session).
     */
    @Test
    void aRotationThatRunsAfterItsRequestTimedOutConsumesNothing() {
        // One rotation first, so that the held one runs as EVALSHA (not NOSCRIPT, which would run nothing).
        String token = Api.refreshCookie(Api.refresh(Api.refreshCookie(Api.loggedIn(TestUsers.create()))));
        long runs = scriptRuns();
        redis.call("CLIENT", "PAUSE", "3500", "ALL");
        Api.refresh(token).then().statusCode(503);
        awaitScriptRun(runs);
        double grace = refreshes("grace");
        double rotated = refreshes("rotated");
        Api.refresh(token).then().statusCode(200);

        assertThat(refreshes("grace")).as("grace answers").isEqualTo(grace);
        assertThat(refreshes("rotated")).as("rotations").isEqualTo(rotated + 1);
    }

    /**
     * Finding 6: readiness is "this replica can serve" (its signing key), not the state of a dependency that
     * every replica shares: during a Redis stall it hung or went DOWN on every replica, which would take the
     * JWKS (served in milliseconds throughout) out of the Service with them. It stays UP and answers without waiting for Redis;
     * Redis' state is reported apart (the wellness group), bounded by the call timeout.
     */
    @Test
    void readinessStaysUpWithoutWaitingForAStalledRedis() {
        given().get("/q/health/ready").then().statusCode(200); // the endpoint's first call warms it up
        redis.call("CLIENT", "PAUSE", Long.toString(STALL.toMillis()), "ALL");
        long start = System.nanoTime();
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        long ms = (System.nanoTime() - start) / 1_000_000;
        answeredBeforeTheStallEnded(ms);
        given().get("/.well-known/jwks.json").then().statusCode(200);
        given().get("/q/health/well").then().statusCode(503).body("status", equalTo("DOWN"));
    }

    /**
     * Finding 8: under {@code CLIENT PAUSE ... WRITE} /me's read-only MGET waited p50 5.2 s (after the call
     * timeout: 503), because paused scripts held every pooled connection (6) and reads shared that pool. Reads
     * go over connections of their own: /me answers 200 while the paused refreshes still hold every write
     * connection, and when the pause ends nothing is left behind (the late scripts wrote nothing: every session
     * is live and its token still rotates).
     */
    @Test
    void aReadAnswersWhileAWritePauseHoldsEveryWriteConnection() throws Exception {
        String access = Api.accessToken(Api.loggedIn(TestUsers.create()));
        List<String> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < WRITE_POOL + 2; i++) {
            tokens.add(Api.refreshCookie(Api.loggedIn(TestUsers.create())));
        }
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(tokens.size());
        try {
            redis.call("CLIENT", "PAUSE", "20000", "WRITE");
            List<java.util.concurrent.Future<Response>> writes = tokens.stream()
                    .map(t -> clients.submit(() -> Api.refresh(t))).toList();
            Poll.until("paused scripts holding every write connection", Duration.ofSeconds(15), Duration.ofMillis(20),
                    () -> blockedClients() >= WRITE_POOL);

            Api.me(access).then().statusCode(200);
            assertThat(blockedClients()).as("the paused writes, still unanswered by Redis").isGreaterThanOrEqualTo(WRITE_POOL);
            for (java.util.concurrent.Future<Response> w : writes) {
                w.get(30, java.util.concurrent.TimeUnit.SECONDS).then().statusCode(503).header("Retry-After", equalTo("5"));
            }
        } finally {
            redis.call("CLIENT", "UNPAUSE"); // not a write: answered at once, and the next test meets no pause
            clients.shutdown();
        }
        Poll.until("the held scripts to run", Duration.ofSeconds(20), Duration.ofMillis(50), () -> blockedClients() == 0);
        for (String t : tokens) {
            Api.refresh(t).then().statusCode(200); // the late rotation consumed nothing, and revoked nothing
        }
        Api.me(access).then().statusCode(200);
    }

    /** quarkus.redis.max-pool-size's default: the connections that paused writes can hold. */
    static final int WRITE_POOL = 6;

    /** Clients whose command Redis holds (blocked or paused), from INFO clients. */
    private long blockedClients() {
        return Long.parseLong(((String) redis.call("INFO", "clients")).replaceAll("(?s).*blocked_clients:(\\d+).*", "$1"));
    }

    /**
     * Waits until the script that the stall held has run (Redis counts each script call it ran). INFO itself
     * waits out CLIENT PAUSE ALL, whose rest (about 6 s after a 2 s answer) is longer than RedisWire's 5 s read
     * timeout: a poll that timed out is one more "not yet", not a failure.
     */
    private void awaitScriptRun(long before) {
        Poll.until("the held script to run", Duration.ofSeconds(30), Duration.ofMillis(50), () -> {
            try {
                return scriptRuns() > before;
            } catch (IllegalStateException stillPaused) {
                return false;
            }
        });
    }

    /** Script calls Redis ran or refused so far (INFO commandstats, EVALSHA and EVAL). */
    long scriptRuns() {
        String info = (String) redis.call("INFO", "commandstats");
        Matcher m = Pattern.compile("(?m)^cmdstat_eval(?:sha)?:calls=(\\d+).*?rejected_calls=(\\d+),failed_calls=(\\d+)").matcher(info);
        long n = 0;
        while (m.find()) {
            n += Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)) + Long.parseLong(m.group(3));
        }
        return n;
    }

    static double refreshes(String outcome) {
        String text = given().accept("text/plain").get("/q/metrics").asString();
        Matcher m = Pattern.compile("(?m)^sigil_refresh_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*\\} ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
