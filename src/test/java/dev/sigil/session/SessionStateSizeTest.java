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
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The Redis state of one session does not grow with use: older tokens of the family are recognised as
 * older generations of the session, not by a stored set of their hashes, and reuse of any of them is
 * still detected.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class SessionStateSizeTest {

    private static final int ROTATIONS = 2000;

    /** MEMORY USAGE of the session's one key (the user's index and version are shared by all the user's sessions). */
    static long sessionBytes(UUID user, String sid) {
        Object usage = TestRedis.call("MEMORY", "USAGE", TestRedis.prefix(user) + "s:" + sid, "SAMPLES", "0");
        return usage == null ? 0 : (Long) usage;
    }

    /** A browser's user agent and a subject of about 100 bytes: values over 64 bytes, as in real use. */
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    @Test
    void aSessionHoldsUnderOneKibibyteWhateverTheNumberOfRotationsAndStillDetectsReuseOfOldGenerations() {
        TestUser user = TestUsers.create("reader", "sigil-state-size-test-role");
        Response login = given().header("User-Agent", BROWSER).contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "password", user.password())).post("/login");
        login.then().statusCode(200);
        String sid = RefreshTokens.sidOf(login);
        long atLogin = sessionBytes(user.id(), sid);

        List<String> tokens = new ArrayList<>(List.of(Api.refreshCookie(login)));
        long afterTwo = 0;
        for (int i = 1; i <= ROTATIONS; i++) {
            Response r = given().header("User-Agent", BROWSER).cookie(Api.COOKIE, tokens.get(tokens.size() - 1)).post("/refresh-token");
            r.then().statusCode(200);
            tokens.add(SetCookie.refreshCookie(r).value());
            if (i == 2) {
                afterTwo = sessionBytes(user.id(), sid);
            }
        }
        long afterAll = sessionBytes(user.id(), sid);
        System.out.printf("Redis bytes of one session: %d after 0 rotations, %d after 2, %d after %d%n",
                atLogin, afterTwo, afterAll, ROTATIONS);
        assertThat(atLogin).isLessThanOrEqualTo(1024);
        assertThat(afterAll).isLessThanOrEqualTo(1024);
        // Constant: only the digits of the generation counter may differ.
        assertThat(afterAll).isBetween(afterTwo - 16, afterTwo + 16);

        // Generation n-2 (older than the grace predecessor) is still recognised as this session's: reuse.
        Api.refresh(tokens.get(tokens.size() - 3)).then().statusCode(401).body("code", equalTo("refresh_token_reused"));
        Api.refresh(tokens.get(tokens.size() - 1)).then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
    }

    @Test
    void theVeryFirstTokenOfALongSessionStillRevokesIt() {
        TestUser user = TestUsers.create("reader");
        Response login = Api.loggedIn(user);
        String first = Api.refreshCookie(login);
        String cookie = first;
        for (int i = 0; i < 5; i++) {
            Response r = Api.refresh(cookie);
            r.then().statusCode(200);
            cookie = SetCookie.refreshCookie(r).value();
        }
        Api.refresh(first).then().statusCode(401).body("code", equalTo("refresh_token_reused"));
        Api.refresh(cookie).then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
    }
}
