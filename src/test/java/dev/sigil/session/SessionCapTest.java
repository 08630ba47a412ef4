package dev.sigil.session;

import dev.sigil.support.AccountRulesProfile;
import dev.sigil.support.Api;
import dev.sigil.support.AuditLines;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers.TestUser;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;

/** A user holds at most sigil.sessions.max-per-user live sessions (3 here); a login at the cap ends the least recently used one. */
@QuarkusTest
@TestProfile(AccountRulesProfile.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class SessionCapTest {

    @RegisterExtension
    final AuditLines auditLines = new AuditLines();
    private final List<String> audit = auditLines.lines();

    private static long indexSize(UUID user) {
        return (Long) TestRedis.call("ZCARD", TestRedis.prefix(user) + "sessions");
    }

    @Test
    void aLoginAtTheCapEvictsTheLeastRecentlyUsedSession() {
        TestUser user = TestUsers.create();
        Response first = Api.loggedIn(user);
        Response second = Api.loggedIn(user);
        Response third = Api.loggedIn(user);
        // The first is used again, so the second becomes the least recently used.
        String firstCookie = Api.refreshCookie(Api.refresh(Api.refreshCookie(first)).then().statusCode(200).extract().response());
        String evicted = RefreshTokens.sidOf(second);

        Response fourth = Api.loggedIn(user);

        Api.refresh(Api.refreshCookie(second)).then().statusCode(401);
        Api.me(Api.accessToken(second)).then().statusCode(401);
        assertThat(TestRedis.call("GET", TestRedis.prefix(user.id()) + "rsid:" + evicted)).isEqualTo("1");
        Api.refresh(firstCookie).then().statusCode(200);
        Api.me(Api.accessToken(third)).then().statusCode(200);
        given().auth().oauth2(Api.accessToken(fourth)).get("/sessions").then().statusCode(200).body("$", hasSize(3));
        assertThat(indexSize(user.id())).isEqualTo(3);
        assertThat(audit).anyMatch(l -> l.startsWith("event=session_evicted ") && l.contains("user=" + user.id())
                && l.contains("sid=" + evicted));
    }

    @Test
    void theIndexNeverHoldsMoreThanTheCapHoweverManyLogins() {
        TestUser user = TestUsers.create();
        List<Response> logins = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            logins.add(Api.loggedIn(user));
            assertThat(indexSize(user.id())).isLessThanOrEqualTo(AccountRulesProfile.MAX_SESSIONS);
        }
        // The last three (the most recently used) live; every earlier one was evicted in turn.
        for (int i = 0; i < logins.size(); i++) {
            Api.me(Api.accessToken(logins.get(i))).then().statusCode(i < 5 ? 401 : 200);
        }
        assertThat(audit.stream().filter(l -> l.startsWith("event=session_evicted ") && l.contains("user=" + user.id()))).hasSize(5);
    }
}
