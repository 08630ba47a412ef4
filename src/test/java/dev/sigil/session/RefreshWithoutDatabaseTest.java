package dev.sigil.session;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.sigil.support.Api;
import dev.sigil.support.PostgresRelay;
import dev.sigil.support.SetCookie;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers.TestUser;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Refresh mints from the subject its session holds, so it keeps working while PostgreSQL is out of reach
 * (this instance's connections run through a relay of the test's own, which the test cuts and restores);
 * login needs the database and answers 503. A change to the user still reaches the session at once.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresRelay.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RefreshWithoutDatabaseTest {

    @AfterEach
    void databaseBack() {
        PostgresRelay.restore();
    }

    /** After the relay is restored the pool reconnects by itself: poll with a deadline, no restart. */
    private static Response loginOnceTheDatabaseAnswers(TestUser user) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        Response r;
        do {
            r = Api.login(user);
        } while (r.statusCode() == 503 && Instant.now().isBefore(deadline));
        return r;
    }

    @Test
    void refreshAnswersWhilePostgresIsDownAndLoginIs503UntilItReturns() {
        TestUser user = TestUsers.create(TestUsers.uniqueName("nopg"), "correct horse battery", "nopg@example.com", true,
                "{\"tenant\":\"acme\",\"level\":3}", "reader", "writer");
        Response login = loginOnceTheDatabaseAnswers(user);
        login.then().statusCode(200);
        JWTClaimsSet before = RefreshTokens.claims(Api.accessToken(login));

        PostgresRelay.cut();
        String cookie = Api.refreshCookie(login);
        for (int i = 0; i < 3; i++) {
            Response r = Api.refresh(cookie);
            r.then().statusCode(200);
            JWTClaimsSet claims = RefreshTokens.claims(Api.accessToken(r));
            // The same subject as the login's token, from the session, not from PostgreSQL.
            for (String name : List.of("sub", "upn", "groups", "email", "email_verified", "tenant", "level", "uv", "sid")) {
                assertThat(claims.getClaim(name)).as(name).isEqualTo(before.getClaim(name));
            }
            cookie = SetCookie.refreshCookie(r).value();
        }
        Api.login(user).then().statusCode(503).header("Retry-After", notNullValue()).body("code", equalTo("unavailable"));

        PostgresRelay.restore();
        loginOnceTheDatabaseAnswers(user).then().statusCode(200);
        Api.refresh(cookie).then().statusCode(200);
    }

    @Test
    void aUserChangeIsNotServedFromTheStoredSubjectWhilePostgresIsDown() {
        TestUser user = TestUsers.create("reader");
        Response login = loginOnceTheDatabaseAnswers(user);
        login.then().statusCode(200);
        PostgresRelay.cut();
        // A change committed to the user: its writer bumps the version after the commit.
        long version = (Long) TestRedis.call("INCR", TestRedis.prefix(user.id()) + "ver");
        Response r = Api.refresh(Api.refreshCookie(login));
        r.then().statusCode(503).header("Retry-After", notNullValue());
        assertThat(r.headers().getValues("Set-Cookie")).as("an outage never clears the cookie").isEmpty();

        PostgresRelay.restore();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        do {
            r = Api.refresh(Api.refreshCookie(login));
        } while (r.statusCode() == 503 && Instant.now().isBefore(deadline));
        r.then().statusCode(200);
        assertThat(RefreshTokens.claims(Api.accessToken(r)).getClaim("uv")).isEqualTo(version);
        Map<String, String> session = TestRedis.session(TestRedis.prefix(user.id()) + "s:" + RefreshTokens.sidOf(login));
        assertThat(session).containsEntry("uv", Long.toString(version)).containsKey("sub");
    }
}
