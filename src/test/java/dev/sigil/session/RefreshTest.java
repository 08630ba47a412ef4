package dev.sigil.session;

import dev.sigil.support.Api;
import dev.sigil.support.SetCookie;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import com.nimbusds.jwt.JWTClaimsSet;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** POST /refresh-token: rotation, and every way a refresh is refused. */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class RefreshTest {

    private static void invalid(Response r) {
        r.then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("invalid_refresh_token"))
                .body("status", equalTo(401));
        SetCookie.assertClearsRefreshCookie(r);
    }

    @Test
    void everyRefreshRotatesToANewCookieAndAccessTokenInTheSameSession() {
        TestUser user = TestUsers.create("reader");
        Response login = Api.loggedIn(user);
        String sid = RefreshTokens.sidOf(login);
        List<String> cookies = new ArrayList<>(List.of(Api.refreshCookie(login)));
        Set<String> accessTokens = new HashSet<>(Set.of(Api.accessToken(login)));
        Set<String> jtis = new HashSet<>(Set.of(RefreshTokens.claims(Api.accessToken(login)).getJWTID()));

        for (int generation = 2; generation <= 6; generation++) {
            Response r = Api.refresh(cookies.get(cookies.size() - 1));
            r.then().statusCode(200).contentType(ContentType.JSON)
                    .header("Cache-Control", "no-store")
                    .body("token_type", equalTo("Bearer"))
                    .body("expires_in", equalTo(900));
            String next = SetCookie.refreshCookie(r).value();
            assertThat(next).hasSize(114).isNotIn(cookies);
            assertThat(RefreshTokens.sid(next)).isEqualTo(sid);
            assertThat(accessTokens.add(Api.accessToken(r))).as("a new access token").isTrue();
            JWTClaimsSet claims = RefreshTokens.claims(Api.accessToken(r));
            assertThat(jtis.add(claims.getJWTID())).as("a new jti").isTrue();
            assertThat(claims.getClaim("sid")).isEqualTo(sid);
            assertThat(claims.getSubject()).isEqualTo(user.id().toString());
            Api.me(Api.accessToken(r)).then().statusCode(200).body("id", equalTo(user.id().toString()));
            cookies.add(next);

            // Redis now holds the new token as current, the one just presented as previous, older ones as retired.
            Map<String, String> session = TestRedis.session(TestRedis.prefix(user.id()) + "s:" + sid);
            assertThat(session).containsEntry("gen", Integer.toString(generation))
                    .containsEntry("cur", RefreshTokens.hash(next))
                    .containsEntry("prev", RefreshTokens.hash(cookies.get(cookies.size() - 2)));
            assertThat(session.values()).doesNotContainAnyElementsOf(cookies);
        }
        // Older tokens are recognised by their generation, not stored: the session and the index are all there is.
        String p = TestRedis.prefix(user.id());
        assertThat(TestRedis.keysOf(user.id())).containsExactlyInAnyOrder(p + "s:" + sid, p + "sessions");
        assertThat(TestRedis.call("ZCARD", TestRedis.prefix(user.id()) + "sessions")).isEqualTo(1L);
    }

    @Test
    void refreshedCookieKeepsEveryRequiredAttribute() {
        Response r = Api.refresh(Api.refreshCookie(Api.loggedIn(TestUsers.create())));
        r.then().statusCode(200);
        SetCookie c = SetCookie.refreshCookie(r);
        assertThat(c.attributes()).containsEntry("path", "/refresh-token").containsEntry("samesite", "Strict")
                .containsKeys("httponly", "secure").doesNotContainKey("domain");
        assertThat(c.maxAge()).isBetween(604_790L, 604_800L);
    }

    @Test
    void missingCookieIsAnInvalidRefreshToken() {
        invalid(given().post("/refresh-token"));
    }

    @Test
    void garbageCookieIsAnInvalidRefreshToken() {
        invalid(Api.refresh("not-a-refresh-token"));
        invalid(Api.refresh("A".repeat(87)));
    }

    @Test
    void unknownTokenIsAnInvalidRefreshToken() {
        invalid(Api.refresh(RefreshTokens.unknown()));
    }

    @Test
    void forgedSecretForALiveSessionIsInvalidAndRevokesNothing() {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        String token = Api.refreshCookie(login);

        invalid(Api.refresh(RefreshTokens.forgedSecret(token)));

        Api.me(Api.accessToken(login)).then().statusCode(200);
        Api.refresh(token).then().statusCode(200);
    }

    @Test
    void expiredSessionIsAnInvalidRefreshToken() throws Exception {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        String key = TestRedis.prefix(user.id()) + "s:" + RefreshTokens.sidOf(login);
        // Let Redis expire the session now instead of in 7 days: an expiry in the past ends it at once.
        assertThat(TestRedis.call("PEXPIREAT", key, "1")).isEqualTo(1L);
        assertThat(TestRedis.call("EXISTS", key)).isEqualTo(0L);

        invalid(Api.refresh(Api.refreshCookie(login)));
    }

    @Test
    void revokedSessionIsAnInvalidRefreshToken() {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        given().auth().oauth2(Api.accessToken(login)).delete("/sessions/" + RefreshTokens.sidOf(login))
                .then().statusCode(204);

        invalid(Api.refresh(Api.refreshCookie(login)));
    }

    /**
     * These tests change the user in PostgreSQL directly; Sigil's own writers then bump the user's version,
     * which is what makes a refresh read the user again instead of minting from the session's subject.
     */
    private static void committed(TestUser user) {
        TestRedis.call("INCR", TestRedis.prefix(user.id()) + "ver");
    }

    @Test
    void disabledUserCannotRefresh() {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        TestUsers.setEnabled(user.id(), false);
        committed(user);

        invalid(Api.refresh(Api.refreshCookie(login)));
        // Re-enabling does not bring the session back: it ended when the disabled user tried to use it.
        TestUsers.setEnabled(user.id(), true);
        invalid(Api.refresh(Api.refreshCookie(login)));
    }

    @Test
    void deletedUserCannotRefresh() {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        TestUsers.delete(user.id());
        committed(user);

        invalid(Api.refresh(Api.refreshCookie(login)));
    }

    @Test
    void roleChangesReachTheNextRefreshedAccessToken() throws Exception {
        TestUser user = TestUsers.create("reader");
        Response login = Api.loggedIn(user);
        assertThat(RefreshTokens.claims(Api.accessToken(login)).getStringListClaim("groups")).containsExactly("reader");
        TestUsers.setRoles(user.id(), "reader", "editor");
        committed(user);

        Response r = Api.refresh(Api.refreshCookie(login));

        r.then().statusCode(200);
        assertThat(RefreshTokens.claims(Api.accessToken(r)).getStringListClaim("groups"))
                .containsExactlyInAnyOrder("reader", "editor");
    }
}
