package dev.sigil.session;

import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** GET /sessions, DELETE /sessions/{id}, DELETE /sessions. */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class SessionsTest {

    private static Response loginWithAgent(TestUser user, String agent) {
        Response r = given().header("User-Agent", agent).contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "password", user.password())).post("/login");
        r.then().statusCode(200);
        return r;
    }

    private static Response sessions(String accessToken) {
        return given().auth().oauth2(accessToken).get("/sessions");
    }

    private static void revoked(String accessToken) {
        Api.me(accessToken).then().statusCode(401).body("code", equalTo("invalid_token"))
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"The access token has been revoked\"");
    }

    @Test
    void listShowsEveryLiveSessionAndMarksTheCurrentOne() {
        TestUser user = TestUsers.create();
        Instant before = Instant.now().minusSeconds(2);
        Response laptop = loginWithAgent(user, "Laptop/1.0");
        Response phone = loginWithAgent(user, "Phone/2.0");

        Response r = sessions(Api.accessToken(laptop));

        r.then().statusCode(200).contentType(ContentType.JSON);
        List<Map<String, Object>> list = r.jsonPath().getList("$");
        assertThat(list).hasSize(2);
        assertThat(list).extracting(s -> s.get("id"))
                .containsExactlyInAnyOrder(RefreshTokens.sidOf(laptop), RefreshTokens.sidOf(phone));
        for (Map<String, Object> s : list) {
            boolean isLaptop = s.get("id").equals(RefreshTokens.sidOf(laptop));
            assertThat(s).containsOnlyKeys("id", "created", "lastUsed", "clientAddress", "userAgent", "current");
            assertThat(s.get("current")).isEqualTo(isLaptop);
            assertThat(s.get("userAgent")).isEqualTo(isLaptop ? "Laptop/1.0" : "Phone/2.0");
            assertThat(s.get("clientAddress")).isEqualTo("127.0.0.1");
            Instant created = Instant.parse((String) s.get("created"));
            assertThat(created).isBetween(before, Instant.now().plusSeconds(2));
            assertThat(Instant.parse((String) s.get("lastUsed"))).isEqualTo(created);
        }
        // Each session's own token sees itself as current.
        JsonPath fromPhone = sessions(Api.accessToken(phone)).then().statusCode(200).extract().jsonPath();
        assertThat(fromPhone.getList("findAll { it.current }.id")).containsExactly(RefreshTokens.sidOf(phone));
    }

    @Test
    void refreshMovesLastUsedAndRecordsTheNewClient() throws Exception {
        TestUser user = TestUsers.create();
        Response login = loginWithAgent(user, "Browser/1.0");
        Thread.sleep(50);
        Response refreshed = given().header("User-Agent", "Browser/1.1").cookie(Api.COOKIE, Api.refreshCookie(login))
                .post("/refresh-token");
        refreshed.then().statusCode(200);

        Map<String, Object> s = sessions(Api.accessToken(refreshed)).then().statusCode(200).extract().jsonPath().getMap("[0]");

        assertThat(Instant.parse((String) s.get("lastUsed"))).isAfter(Instant.parse((String) s.get("created")));
        assertThat(s.get("userAgent")).isEqualTo("Browser/1.1");
        assertThat(s.get("current")).isEqualTo(true);
    }

    @Test
    void revokingOneSessionEndsItsRefreshAndAccessTokensOnly() {
        TestUser user = TestUsers.create();
        Response victim = Api.loggedIn(user);
        Response keeper = Api.loggedIn(user);

        given().auth().oauth2(Api.accessToken(keeper)).delete("/sessions/" + RefreshTokens.sidOf(victim))
                .then().statusCode(204);

        Api.refresh(Api.refreshCookie(victim)).then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
        revoked(Api.accessToken(victim));
        Api.me(Api.accessToken(keeper)).then().statusCode(200);
        assertThat(sessions(Api.accessToken(keeper)).jsonPath().getList("id")).containsExactly(RefreshTokens.sidOf(keeper));
        Api.refresh(Api.refreshCookie(keeper)).then().statusCode(200);
    }

    @Test
    void anotherUsersSessionIsNotFound() {
        Response mine = Api.loggedIn(TestUsers.create());
        Response theirs = Api.loggedIn(TestUsers.create());

        given().auth().oauth2(Api.accessToken(mine)).delete("/sessions/" + RefreshTokens.sidOf(theirs))
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("not_found"));

        Api.me(Api.accessToken(theirs)).then().statusCode(200);
        Api.refresh(Api.refreshCookie(theirs)).then().statusCode(200);
    }

    @Test
    void unknownSessionIdIsNotFound() {
        Response mine = Api.loggedIn(TestUsers.create());
        given().auth().oauth2(Api.accessToken(mine)).delete("/sessions/no-such-session")
                .then().statusCode(404).body("code", equalTo("not_found"));
    }

    @Test
    void logOutEverywhereEndsEverySessionAndEveryAccessTokenIssuedSoFar() {
        TestUser user = TestUsers.create();
        List<Response> logins = List.of(Api.loggedIn(user), Api.loggedIn(user), Api.loggedIn(user));
        Response rotated = Api.refresh(Api.refreshCookie(logins.get(0)));
        rotated.then().statusCode(200);

        given().auth().oauth2(Api.accessToken(logins.get(1))).delete("/sessions").then().statusCode(204);

        for (Response r : List.of(logins.get(1), logins.get(2), rotated)) {
            Api.refresh(Api.refreshCookie(r)).then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
        }
        for (Response r : List.of(logins.get(0), logins.get(1), logins.get(2), rotated)) {
            revoked(Api.accessToken(r));
        }
    }

    @Test
    void sessionsNeedABearerToken() {
        given().get("/sessions").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().delete("/sessions").then().statusCode(401).header("WWW-Authenticate", "Bearer");
    }
}
