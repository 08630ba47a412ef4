package dev.sigil.support;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.Map;

import static io.restassured.RestAssured.given;

/** HTTP helpers shared by the tests. Cookie name and path are the test profile's (the prod defaults). */
public final class Api {

    public static final String COOKIE = "__Secure-refresh_token";

    /** The issuer of the running test instance (derived from the test port). */
    public static String issuer() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("sigil.issuer", String.class);
    }

    private Api() {
    }

    public static Response login(String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/login");
    }

    public static Response login(TestUsers.TestUser user) {
        return login(user.username(), user.password());
    }

    /** Logs in and returns the response, failing the test unless it is a 200. */
    public static Response loggedIn(TestUsers.TestUser user) {
        Response r = login(user);
        if (r.statusCode() != 200) {
            throw new AssertionError("login failed: " + r.statusCode() + " " + r.asString());
        }
        return r;
    }

    public static String accessToken(Response r) {
        return r.jsonPath().getString("access_token");
    }

    public static String refreshCookie(Response r) {
        return r.getCookie(COOKIE);
    }

    public static Response refresh(String refreshToken) {
        return refreshToken == null ? given().post("/refresh-token")
                : given().cookie(COOKIE, refreshToken).post("/refresh-token");
    }

    public static Response me(String accessToken) {
        return given().auth().oauth2(accessToken).get("/me");
    }
}
