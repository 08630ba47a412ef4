package dev.sigil.session;

import dev.sigil.support.Api;
import dev.sigil.support.SetCookie;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * What happens once time passes: the grace period (2 s here), the idle lifetime (8 s) and the
 * absolute session lifetime (10 s; long enough that a stalled machine cannot lose a session before the test reads it), shortened so that the tests wait seconds, not days. Time is Redis'
 * own: each test asserts the expiry Sigil set, then polls (with a deadline) until Redis has ended the
 * state, and only then asserts the answer. No sleep guesses how long the server needs.
 */
@QuarkusTest
@TestProfile(ShortLifetimesTest.ShortLifetimes.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class ShortLifetimesTest {

    public static class ShortLifetimes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sigil.tokens.grace", "PT2S",
                    "sigil.tokens.refresh-idle", "PT8S",
                    "sigil.tokens.session-max", "PT10S");
        }
    }

    @Test
    void predecessorAfterTheGracePeriodIsReuseAndRevokesTheWholeSession() throws Exception {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        String first = Api.refreshCookie(login);
        Response second = Api.refresh(first);
        second.then().statusCode(200);
        // The sealed successor is kept in the session until the grace period's end (Redis' clock).
        Map<String, String> session = TestRedis.session(TestRedis.prefix(user.id()) + "s:" + RefreshTokens.sidOf(login));
        long graceEnd = Long.parseLong(session.get("nxe"));
        assertThat(graceEnd - Long.parseLong(session.get("last"))).isEqualTo(2000L);
        awaitRedisTime(graceEnd);

        Response reuse = Api.refresh(first);

        reuse.then().statusCode(401).contentType("application/problem+json").body("code", equalTo("refresh_token_reused"));
        SetCookie.assertClearsRefreshCookie(reuse);
        Response newest = Api.refresh(Api.refreshCookie(second));
        newest.then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
        SetCookie.assertClearsRefreshCookie(newest);
        for (Response issued : new Response[] {login, second}) {
            Api.me(Api.accessToken(issued)).then().statusCode(401).body("code", equalTo("invalid_token"))
                    .header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"The access token has been revoked\"");
        }
    }

    @Test
    void sessionUnusedForLongerThanTheIdleLifetimeCannotRefresh() throws Exception {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        assertThat(SetCookie.refreshCookie(login).maxAge()).isBetween(7L, 8L);
        String session = TestRedis.prefix(user.id()) + "s:" + RefreshTokens.sidOf(login);
        assertThat((Long) TestRedis.call("PTTL", session)).isBetween(1L, 8000L);
        awaitGone(session);

        Response r = Api.refresh(Api.refreshCookie(login));

        r.then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
        SetCookie.assertClearsRefreshCookie(r);
    }

    @Test
    void noRotationExtendsASessionBeyondItsAbsoluteLifetime() throws Exception {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        String session = TestRedis.prefix(user.id()) + "s:" + RefreshTokens.sidOf(login);
        long absoluteEnd = Long.parseLong(TestRedis.session(session).get("abs"));
        // Rotate more than two seconds after login (Redis' clock decides), so the idle lifetime of the
        // rotation (8 s) would reach past the session's absolute end (10 s after login).
        long created = Long.parseLong(TestRedis.session(session).get("created"));
        awaitRedisTime(created + 2_100);
        Response rotated = Api.refresh(Api.refreshCookie(login));
        rotated.then().statusCode(200);
        assertThat((Long) TestRedis.call("PEXPIRETIME", session)).as("the rotation keeps the absolute end").isEqualTo(absoluteEnd);
        assertThat(SetCookie.refreshCookie(rotated).maxAge()).isLessThanOrEqualTo(7L);
        awaitGone(session); // the absolute end, still within the idle lifetime of the last rotation

        Response r = Api.refresh(Api.refreshCookie(rotated));

        r.then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
        SetCookie.assertClearsRefreshCookie(r);
    }

    /** Polls until Redis has expired {@code key}, failing after a generous deadline. */
    private static void awaitGone(String key) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while ((Long) TestRedis.call("EXISTS", key) == 1) {
            assertThat(System.nanoTime()).as("%s still exists", key).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Polls until Redis' clock (the one the scripts read) has reached {@code epochMs}. */
    private static void awaitRedisTime(long epochMs) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (redisNowMs() < epochMs) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static long redisNowMs() {
        java.util.List<?> t = (java.util.List<?>) TestRedis.call("TIME");
        return Long.parseLong((String) t.get(0)) * 1000 + Long.parseLong((String) t.get(1)) / 1000;
    }
}
