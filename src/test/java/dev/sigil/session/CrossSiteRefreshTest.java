package dev.sigil.session;

import dev.sigil.support.Api;
import dev.sigil.support.SetCookie;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The cookie endpoints refuse cross-site browser requests, and a refusal never touches the cookie or the session. */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class CrossSiteRefreshTest {

    private static void refusedKeepingTheCookie(Response r) {
        r.then().statusCode(403).contentType("application/problem+json").body("code", equalTo("cross_site_request"));
        SetCookie.assertSetsNoCookie(r);
    }

    @Test
    void crossSiteFetchCannotRefresh() {
        String token = Api.refreshCookie(Api.loggedIn(TestUsers.create()));

        refusedKeepingTheCookie(given().header("Sec-Fetch-Site", "cross-site").cookie(Api.COOKIE, token).post("/refresh-token"));

        Api.refresh(token).then().statusCode(200); // not rotated by the refused request
    }

    @Test
    void foreignRefererCannotRefresh() {
        String token = Api.refreshCookie(Api.loggedIn(TestUsers.create()));

        refusedKeepingTheCookie(given().header("Referer", "https://evil.example/page").cookie(Api.COOKIE, token).post("/refresh-token"));

        Api.refresh(token).then().statusCode(200);
    }

    @Test
    void foreignOriginIsRefusedByCors() {
        String token = Api.refreshCookie(Api.loggedIn(TestUsers.create()));

        Response r = given().header("Origin", "https://evil.example").cookie(Api.COOKIE, token).post("/refresh-token");

        r.then().statusCode(403);
        SetCookie.assertSetsNoCookie(r);
        Api.refresh(token).then().statusCode(200);
    }

    @Test
    void sameOriginBrowserRequestRefreshes() {
        String token = Api.refreshCookie(Api.loggedIn(TestUsers.create()));

        given().header("Origin", Api.issuer()).header("Sec-Fetch-Site", "same-origin").header("Referer", Api.issuer() + "/app")
                .cookie(Api.COOKIE, token).post("/refresh-token").then().statusCode(200);
    }

    @Test
    void crossSiteLogoutIsRefusedAndTheSessionSurvives() {
        String token = Api.refreshCookie(Api.loggedIn(TestUsers.create()));

        refusedKeepingTheCookie(given().header("Sec-Fetch-Site", "cross-site").cookie(Api.COOKIE, token).delete("/refresh-token"));

        Api.refresh(token).then().statusCode(200);
    }
}
