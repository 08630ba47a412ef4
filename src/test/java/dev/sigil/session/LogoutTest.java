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
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** DELETE /refresh-token: logout never fails, always clears the cookie, and ends only the presented session. */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class LogoutTest {

    private static Response logout(String token) {
        return token == null ? given().delete("/refresh-token") : given().cookie(Api.COOKIE, token).delete("/refresh-token");
    }

    private static void loggedOut(Response r) {
        r.then().statusCode(204).header("Cache-Control", "no-store");
        assertThat(r.asString()).isEmpty();
        SetCookie.assertClearsRefreshCookie(r);
    }

    @Test
    void logoutEndsTheSessionAndClearsTheCookie() {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        String token = Api.refreshCookie(login);
        String sid = RefreshTokens.sidOf(login);

        loggedOut(logout(token));

        String p = TestRedis.prefix(user.id());
        // Only the revoked-session marker is left of the user's session state.
        assertThat(TestRedis.keysOf(user.id())).containsExactly(p + "rsid:" + sid);
        assertThat(TestRedis.call("ZSCORE", p + "sessions", sid)).isNull();
        Response refresh = Api.refresh(token);
        refresh.then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
        SetCookie.assertClearsRefreshCookie(refresh);
    }

    @Test
    void logoutEndsTheSessionsAccessTokens() {
        Response login = Api.loggedIn(TestUsers.create());
        logout(Api.refreshCookie(login)).then().statusCode(204);

        Api.me(Api.accessToken(login)).then().statusCode(401).body("code", equalTo("invalid_token"))
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"The access token has been revoked\"");
    }

    @Test
    void logoutIsIdempotent() {
        String token = Api.refreshCookie(Api.loggedIn(TestUsers.create()));
        loggedOut(logout(token));
        loggedOut(logout(token));
    }

    @Test
    void logoutWithoutACookieStillSucceeds() {
        loggedOut(logout(null));
    }

    @Test
    void logoutWithAGarbageCookieStillSucceeds() {
        loggedOut(logout("garbage"));
        loggedOut(logout(RefreshTokens.unknown()));
    }

    @Test
    void logoutWithTheJustRotatedOutTokenEndsTheSession() {
        String first = Api.refreshCookie(Api.loggedIn(TestUsers.create()));
        String second = Api.refreshCookie(Api.refresh(first));

        loggedOut(logout(first));

        Api.refresh(second).then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
    }

    @Test
    void logoutWithAForgedSecretEndsNothing() {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        String token = Api.refreshCookie(login);

        loggedOut(logout(RefreshTokens.forgedSecret(token)));

        Api.me(Api.accessToken(login)).then().statusCode(200);
        Api.refresh(token).then().statusCode(200);
    }

    @Test
    void logoutEndsOnlyThePresentedSession() {
        TestUser user = TestUsers.create();
        Response a = Api.loggedIn(user);
        Response b = Api.loggedIn(user);

        logout(Api.refreshCookie(a)).then().statusCode(204);

        Api.me(Api.accessToken(b)).then().statusCode(200);
        Api.refresh(Api.refreshCookie(b)).then().statusCode(200);
    }
}
