package dev.sigil.web;

import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * CORS as browsers see it: the public documents are readable from any origin without credentials, an
 * app on an allowed origin (the test profile allows http://localhost:3000 and https://app.example.com:443) uses the cookie endpoints
 * with credentials, and any other origin gets a problem+json 403.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class CrossOriginTest {

    static final String APP = "http://localhost:3000";
    static final String FOREIGN = "https://evil.example";

    @ParameterizedTest
    @ValueSource(strings = {"/.well-known/jwks.json", "/.well-known/openid-configuration", "/sigil-web.js"})
    void publicDocumentsAreReadableFromAnyOriginWithoutCredentials(String path) {
        given().header("Origin", FOREIGN).get(path).then().statusCode(200)
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Credentials", nullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.well-known/jwks.json", "/.well-known/openid-configuration"})
    void publicDocumentPreflightAllowsAnyOriginWithoutCredentials(String path) {
        given().header("Origin", FOREIGN).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "if-none-match")
                .options(path).then().statusCode(204)
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Methods", containsString("GET"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("If-None-Match"))
                .header("Access-Control-Allow-Credentials", nullValue());
    }

    @Test
    void foreignOriginGetsAProblemJson403OnTheApi() {
        String token = Api.accessToken(Api.loggedIn(TestUsers.create()));

        given().header("Origin", FOREIGN).auth().oauth2(token).get("/me").then().statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("cross_site_request"))
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void foreignOriginPreflightGetsAProblemJson403() {
        given().header("Origin", FOREIGN).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .options("/login").then().statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("cross_site_request"))
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void foreignOriginCannotLogIn() {
        TestUsers.TestUser user = TestUsers.create();

        Response r = given().header("Origin", FOREIGN).contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "password", user.password())).post("/login");

        r.then().statusCode(403).contentType("application/problem+json").body("code", equalTo("cross_site_request"))
                .header("Set-Cookie", nullValue());
    }

    @Test
    void allowedOriginPreflightForLoginAllowsCredentials() {
        given().header("Origin", APP).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .options("/login").then().statusCode(204)
                .header("Access-Control-Allow-Origin", APP)
                .header("Access-Control-Allow-Credentials", "true")
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Content-Type"))
                .header("Vary", containsString("Origin"));
    }

    @Test
    void allowedOriginLogsInRefreshesAndLogsOutWithCredentials() {
        TestUsers.TestUser user = TestUsers.create();

        Response login = given().header("Origin", APP).header("Sec-Fetch-Site", "same-site").contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "password", user.password())).post("/login");
        login.then().statusCode(200).header("Access-Control-Allow-Origin", APP).header("Access-Control-Allow-Credentials", "true")
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("Retry-After"));

        Response refresh = given().header("Origin", APP).header("Sec-Fetch-Site", "same-site")
                .cookie(Api.COOKIE, Api.refreshCookie(login)).post("/refresh-token");
        refresh.then().statusCode(200).header("Access-Control-Allow-Origin", APP).header("Access-Control-Allow-Credentials", "true");

        given().header("Origin", APP).header("Sec-Fetch-Site", "same-site")
                .cookie(Api.COOKIE, Api.refreshCookie(refresh)).delete("/refresh-token").then().statusCode(204)
                .header("Access-Control-Allow-Origin", APP).header("Access-Control-Allow-Credentials", "true");
        Api.refresh(Api.refreshCookie(refresh)).then().statusCode(401);
    }

    @Test
    void allowedOriginReadsBearerEndpointsAndSeesTheChallenge() {
        given().header("Origin", APP).get("/me").then().statusCode(401)
                .header("Access-Control-Allow-Origin", APP)
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("WWW-Authenticate"));
    }

    @Test
    void sameOriginRequestNeedsNoCorsHeaders() {
        given().header("Origin", Api.issuer()).get("/me").then().statusCode(401)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.com@localhost:3000", "http://localhost:3000/x", "http://localhost:3000?x=1",
            "http://localhost:3000#x", "http://localhost:3000:3000"})
    void anOriginWithUserinfoPathQueryOrFragmentIsRefusedNotEchoed(String origin) {
        given().header("Origin", origin).get("/me").then().statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("cross_site_request"))
                .header("Access-Control-Allow-Origin", nullValue())
                .header("Access-Control-Allow-Credentials", nullValue());
    }

    @Test
    void anOriginWithUserinfoBeforeSigilsOwnHostIsNotSameOrigin() {
        String origin = Api.issuer().replace("://", "://evil.com@");
        given().header("Origin", origin).get("/me").then().statusCode(403).body("code", equalTo("cross_site_request"));
        TestUsers.TestUser user = TestUsers.create();
        given().header("Origin", origin).contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "password", user.password())).post("/login")
                .then().statusCode(403).header("Set-Cookie", nullValue());
    }

    /** Configured as https://app.example.com:443: the browser sends it without the default port. */
    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com", "https://app.example.com:443"})
    void aConfiguredOriginWithItsDefaultPortPassesCorsAndTheCrossSiteGuardAlike(String origin) {
        TestUsers.TestUser user = TestUsers.create();
        given().header("Origin", origin).header("Sec-Fetch-Site", "same-site").contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "password", user.password())).post("/login")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", origin).header("Access-Control-Allow-Credentials", "true");
    }
}
