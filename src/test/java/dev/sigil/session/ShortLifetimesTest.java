package dev.sigil.session;

import dev.sigil.support.Api;
import dev.sigil.support.SetCookie;
import dev.sigil.support.TestKeys;
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
 * What happens once time passes: the grace period (1 s here), the idle lifetime (4 s) and the
 * absolute session lifetime (5 s), shortened so that the tests wait seconds, not days.
 */
@QuarkusTest
@TestProfile(ShortLifetimesTest.ShortLifetimes.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class ShortLifetimesTest {

    public static class ShortLifetimes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sigil.tokens.grace", "PT1S",
                    "sigil.tokens.refresh-idle", "PT4S",
                    "sigil.tokens.session-max", "PT5S");
        }
    }

    @Test
    void predecessorAfterTheGracePeriodIsReuseAndRevokesTheWholeSession() throws Exception {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        String first = Api.refreshCookie(login);
        Response second = Api.refresh(first);
        second.then().statusCode(200);
        Thread.sleep(1500);

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
        Response login = Api.loggedIn(TestUsers.create());
        assertThat(SetCookie.refreshCookie(login).maxAge()).isBetween(3L, 4L);
        Thread.sleep(4500);

        Response r = Api.refresh(Api.refreshCookie(login));

        r.then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
        SetCookie.assertClearsRefreshCookie(r);
    }

    @Test
    void noRotationExtendsASessionBeyondItsAbsoluteLifetime() throws Exception {
        Response login = Api.loggedIn(TestUsers.create());
        Thread.sleep(2000);
        Response rotated = Api.refresh(Api.refreshCookie(login));
        rotated.then().statusCode(200);
        // 4 s of idle lifetime would reach past the session's end 3 s from now: the cookie says so.
        assertThat(SetCookie.refreshCookie(rotated).maxAge()).isBetween(2L, 3L);
        Thread.sleep(3500); // past the absolute end, still within the idle lifetime of the last rotation

        Response r = Api.refresh(Api.refreshCookie(rotated));

        r.then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
        SetCookie.assertClearsRefreshCookie(r);
    }
}
