package dev.sigil.session;

import dev.sigil.id.TokenId;
import dev.sigil.id.UserId;
import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers.TestUser;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing Sigil writes to Redis lives forever: after every kind of write, each of the user's keys has a
 * TTL, except the user's version, which must outlive every token that carries an older one.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class SessionKeysExpireTest {

    @Inject
    SessionStore store;

    /** Asserts every key under the user's prefix expires; returns the keys (relative to the prefix) for further checks. */
    private static List<String> everyKeyExpires(UUID user) {
        List<String> keys = TestRedis.keysOf(user);
        assertThat(keys).as("keys of the user").isNotEmpty();
        for (String key : keys) {
            if (key.equals(TestRedis.prefix(user) + "ver")) {
                assertThat((Long) TestRedis.call("PTTL", key)).as("the version has no TTL").isEqualTo(-1L);
                continue;
            }
            assertThat((Long) TestRedis.call("PTTL", key)).as("PTTL of " + key).isPositive();
        }
        return keys.stream().map(k -> k.substring(TestRedis.prefix(user).length())).toList();
    }

    @Test
    void keysWrittenAtLoginExpire() {
        TestUser user = TestUsers.create();
        String sid = RefreshTokens.sidOf(Api.loggedIn(user));
        assertThat(everyKeyExpires(user.id())).containsExactlyInAnyOrder("sessions", "s:" + sid);
    }

    @Test
    void keysWrittenByRotationExpire() {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        String sid = RefreshTokens.sidOf(login);
        String token = Api.refreshCookie(login);
        for (int i = 0; i < 3; i++) {
            token = Api.refreshCookie(Api.refresh(token).then().statusCode(200).extract().response());
        }
        // The grace-period successor is a field of the session with its own end (older tokens are recognised by
        // generation: no retired set, no other key).
        assertThat(everyKeyExpires(user.id())).containsExactlyInAnyOrder("sessions", "s:" + sid);
        long graceEnd = Long.parseLong(TestRedis.session(TestRedis.prefix(user.id()) + "s:" + sid).get("nxe"));
        assertThat(graceEnd).isLessThanOrEqualTo(System.currentTimeMillis() + 10_000L);
    }

    @Test
    void keysLeftByReuseRevocationExpire() {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        String sid = RefreshTokens.sidOf(login);
        String first = Api.refreshCookie(login);
        String second = Api.refreshCookie(Api.refresh(first));
        Api.refresh(second).then().statusCode(200);
        Api.refresh(first).then().statusCode(401); // generation n-2: reuse

        assertThat(everyKeyExpires(user.id())).containsExactly("rsid:" + sid);
    }

    @Test
    void keysLeftByLogoutExpire() {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        String sid = RefreshTokens.sidOf(login);
        Api.loggedIn(user); // a second session keeps the index alive
        given().cookie(Api.COOKIE, Api.refreshCookie(login)).delete("/refresh-token").then().statusCode(204);

        assertThat(everyKeyExpires(user.id())).contains("rsid:" + sid, "sessions").doesNotContain("s:" + sid);
    }

    @Test
    void keysLeftByLogOutEverywhereExpire() {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        given().auth().oauth2(Api.accessToken(login)).delete("/sessions").then().statusCode(204);

        assertThat(everyKeyExpires(user.id())).containsExactlyInAnyOrder("ver", "rsid:" + RefreshTokens.sidOf(login));
    }

    @Test
    void deniedAccessTokenEntriesExpire() {
        TestUser user = TestUsers.create();
        String jti = RefreshTokens.claims(Api.accessToken(Api.loggedIn(user))).getJWTID();
        store.denyAccessToken(dev.sigil.id.UserId.of(user.id()), dev.sigil.id.TokenId.parse(jti).orElseThrow(), System.currentTimeMillis() / 1000 + 60).await().atMost(Duration.ofSeconds(5));

        assertThat(everyKeyExpires(user.id())).contains("rjti:" + jti);
    }
}
