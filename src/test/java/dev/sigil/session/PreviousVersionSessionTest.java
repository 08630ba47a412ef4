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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Rolling upgrade: a session that the previous version stored (a hash, its sealed successor in a
 * {@code :next} key) keeps working: grace, rotation, listing, reuse detection and logout, and is
 * rewritten in the one-string form by its next rotation.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class PreviousVersionSessionTest {

    /** Rewrites the session as the previous version kept it: the same fields in a hash, the successor in :next. */
    private static void asPreviousVersion(String key) {
        Map<String, String> fields = TestRedis.session(key);
        long ttl = (Long) TestRedis.call("PTTL", key);
        List<String> hset = new ArrayList<>(List.of("HSET", key));
        fields.forEach((name, value) -> {
            if (!name.equals("nx") && !name.equals("nxe")) {
                hset.addAll(List.of(name, value));
            }
        });
        TestRedis.call("DEL", key);
        TestRedis.call(hset.toArray(String[]::new));
        TestRedis.call("PEXPIRE", key, Long.toString(ttl));
        if (fields.containsKey("nx")) {
            TestRedis.call("SET", key + ":next", fields.get("nx"), "PX", "10000");
        }
    }

    @Test
    void aHashSessionWithItsSuccessorInNextGetsGraceRotatesIntoOneStringAndStillDetectsReuse() {
        TestUser user = TestUsers.create("reader");
        Response login = Api.loggedIn(user);
        String first = Api.refreshCookie(login);
        Response rotated = Api.refresh(first);
        rotated.then().statusCode(200);
        String second = Api.refreshCookie(rotated);
        String key = TestRedis.prefix(user.id()) + "s:" + RefreshTokens.sidOf(login);
        asPreviousVersion(key);
        assertThat(TestRedis.call("TYPE", key)).isEqualTo("hash");

        // The predecessor within the grace period gets the successor the previous version sealed in :next.
        Response grace = Api.refresh(first);
        grace.then().statusCode(200);
        assertThat(Api.refreshCookie(grace)).isEqualTo(second);
        given().auth().oauth2(Api.accessToken(grace)).get("/sessions").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].id", equalTo(RefreshTokens.sidOf(login)));

        Response third = Api.refresh(second);
        third.then().statusCode(200);
        assertThat(TestRedis.call("TYPE", key)).isEqualTo("string");
        assertThat(TestRedis.call("EXISTS", key + ":next")).isEqualTo(0L);
        assertThat(TestRedis.session(key)).containsEntry("gen", "3").containsKey("nx");

        Api.refresh(first).then().statusCode(401).body("code", equalTo("refresh_token_reused"));
        Api.refresh(SetCookie.refreshCookie(third).value()).then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
    }

    @Test
    void aHashSessionEndsAtLogout() {
        TestUser user = TestUsers.create("reader");
        Response login = Api.loggedIn(user);
        String key = TestRedis.prefix(user.id()) + "s:" + RefreshTokens.sidOf(login);
        asPreviousVersion(key);

        given().cookie(Api.COOKIE, Api.refreshCookie(login)).delete("/refresh-token").then().statusCode(204);
        assertThat(TestRedis.call("EXISTS", key)).isEqualTo(0L);
        Api.refresh(Api.refreshCookie(login)).then().statusCode(401);
    }
}
