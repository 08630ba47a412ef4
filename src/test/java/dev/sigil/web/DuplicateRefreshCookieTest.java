package dev.sigil.web;

import dev.sigil.support.Api;
import dev.sigil.support.AuditLines;
import dev.sigil.support.SetCookie;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * More than one refresh cookie in a request (a planted cookie from a sibling subdomain, say) is refused
 * with 401 invalid_refresh_token: Sigil never guesses which one is meant, clears nothing, and audits it.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class DuplicateRefreshCookieTest {

    @RegisterExtension
    final AuditLines auditLines = new AuditLines();
    private final List<String> audit = auditLines.lines();

    private static String freshCookie() {
        return Api.refreshCookie(Api.loggedIn(TestUsers.create()));
    }

    private static String pair(String value) {
        return Api.COOKIE + "=" + value;
    }

    private static RawHttp.Answer raw(String method, List<String> headers) throws Exception {
        return new RawHttp("localhost", RestAssured.port).send(method, "/refresh-token", headers, null, false);
    }

    private void refusedWithoutClearing(int status, String code, List<String> setCookies, String event) {
        assertThat(status).isEqualTo(401);
        assertThat(code).isEqualTo("invalid_refresh_token");
        assertThat(setCookies).as("Set-Cookie headers").isEmpty();
        assertThat(audit).anySatisfy(l -> assertThat(l).startsWith("event=" + event + " outcome=duplicate_cookie"));
    }

    private static void refusedWithoutClearing(Response r) {
        r.then().statusCode(401).contentType("application/problem+json").body("code", equalTo("invalid_refresh_token"));
        SetCookie.assertSetsNoCookie(r);
    }

    @Test
    void twoRefreshCookiesInOneHeaderAreRefusedAndNeitherSessionIsTouched() {
        String victim = freshCookie();
        String planted = freshCookie();

        Response r = given().header("Cookie", pair(victim) + "; " + pair(planted)).post("/refresh-token");

        refusedWithoutClearing(r);
        assertThat(audit).anySatisfy(l -> assertThat(l).startsWith("event=refresh outcome=duplicate_cookie").contains("ip="));
        Api.refresh(victim).then().statusCode(200);
        Api.refresh(planted).then().statusCode(200);
    }

    @Test
    void theSameRefreshCookieTwiceIsRefused() {
        String victim = freshCookie();

        refusedWithoutClearing(given().header("Cookie", pair(victim) + "; " + pair(victim)).post("/refresh-token"));

        Api.refresh(victim).then().statusCode(200);
    }

    @Test
    void twoRefreshCookiesInSeveralCookieHeadersAreRefused() throws Exception {
        String victim = freshCookie();
        String planted = freshCookie();

        RawHttp.Answer a = raw("POST", List.of("Cookie: theme=dark; " + pair(victim), "Cookie: " + pair(planted)));

        refusedWithoutClearing(a.status(), problemCode(a), setCookies(a), "refresh");
        Api.refresh(victim).then().statusCode(200);
    }

    @Test
    void logoutWithTwoRefreshCookiesIsRefusedAndEndsNoSession() {
        String victim = freshCookie();
        String planted = freshCookie();

        Response r = given().header("Cookie", pair(planted) + "; " + pair(victim)).delete("/refresh-token");

        refusedWithoutClearing(r);
        assertThat(audit).anySatisfy(l -> assertThat(l).startsWith("event=logout outcome=duplicate_cookie"));
        Api.refresh(victim).then().statusCode(200);
        Api.refresh(planted).then().statusCode(200);
    }

    @Test
    void logoutWithTwoRefreshCookiesInSeveralHeadersIsRefused() throws Exception {
        String victim = freshCookie();

        RawHttp.Answer a = raw("DELETE", List.of("Cookie: " + pair(victim), "Cookie: " + pair(freshCookie())));

        refusedWithoutClearing(a.status(), problemCode(a), setCookies(a), "logout");
        Api.refresh(victim).then().statusCode(200);
    }

    @Test
    void oneRefreshCookieAmongOtherCookiesStillRotates() throws Exception {
        String victim = freshCookie();

        given().header("Cookie", "a=1; " + pair(victim) + "; refresh_token=x; b=2").post("/refresh-token").then().statusCode(200);
        RawHttp.Answer a = raw("POST", List.of("Cookie: a=1", "Cookie: " + pair(victim) + "; b=2"));
        // victim was rotated above: presenting it again within the grace period is the racing predecessor.
        assertThat(a.status()).isEqualTo(200);
    }

    private static String problemCode(RawHttp.Answer a) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(a.body()).path("code").asText();
    }

    private static List<String> setCookies(RawHttp.Answer a) {
        String v = a.header("Set-Cookie");
        return v == null ? List.of() : List.of(v);
    }
}
