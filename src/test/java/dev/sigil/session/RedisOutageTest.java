package dev.sigil.session;

import dev.sigil.support.Api;
import dev.sigil.support.InjectOwnRedis;
import dev.sigil.support.OwnRedis;
import dev.sigil.support.RedisProcess;
import dev.sigil.support.SetCookie;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Redis goes down under a running service: the answer is 503 {@code unavailable} with Retry-After,
 * bearer checks fail closed, no cookie is cleared, and the service recovers by itself. The Redis here
 * is this test's own child process on a free port, never the shared one.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OwnRedis.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RedisOutageTest {

    @InjectOwnRedis
    RedisProcess redis;


    @BeforeEach
    void redisIsUp() {
        redis.start();
    }


    private static void unavailable(Response r) {
        r.then().statusCode(503).contentType("application/problem+json")
                .body("code", equalTo("unavailable"))
                .header("Retry-After", equalTo("5"));
        SetCookie.assertSetsNoCookie(r);
    }

    @Test
    void theServiceUsesThisTestsOwnRedis() {
        TestUser user = TestUsers.create();
        String sid = RefreshTokens.sidOf(Api.loggedIn(user));
        assertThat(redis.call("EXISTS", "sigil:{" + user.id() + "}:s:" + sid)).isEqualTo(1L);
    }

    @Test
    void loginIsUnavailableWhileRedisIsDown() {
        TestUser user = TestUsers.create();
        redis.stop();

        unavailable(Api.login(user));
    }

    @Test
    void refreshIsUnavailableAndKeepsTheCookieWhileRedisIsDown() {
        String token = Api.refreshCookie(Api.loggedIn(TestUsers.create()));
        redis.stop();

        unavailable(Api.refresh(token));
    }

    @Test
    void bearerChecksFailClosedWhileRedisIsDown() {
        String access = Api.accessToken(Api.loggedIn(TestUsers.create()));
        Api.me(access).then().statusCode(200);
        redis.stop();

        unavailable(Api.me(access));
    }

    @Test
    void serviceRecoversWhenRedisComesBack() {
        TestUser user = TestUsers.create();
        redis.stop();
        Api.login(user).then().statusCode(503);

        redis.start(); // empty again: no scripts cached, no sessions

        Response login = Api.login(user);
        login.then().statusCode(200);
        Api.me(Api.accessToken(login)).then().statusCode(200);
        Response refreshed = Api.refresh(Api.refreshCookie(login));
        refreshed.then().statusCode(200);
        assertThat(Api.refreshCookie(refreshed)).isNotEqualTo(Api.refreshCookie(login));
    }
}
