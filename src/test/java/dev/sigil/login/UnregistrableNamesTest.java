package dev.sigil.login;

import dev.sigil.support.PostgresRelay;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * A login name outside the registration alphabet is refused without asking the database. Shown by cutting
 * this instance off from PostgreSQL (its reactive connections run through a TCP relay of this test's own,
 * which is then closed): a valid name then gets 503, while names that PostgreSQL's lower() would fold onto
 * a user (U+0130, U+212A) and other unregistrable names get the ordinary 401.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresRelay.class, scope = TestResourceScope.MATCHING_RESOURCES)
class UnregistrableNamesTest {

    /** The relay and its Sigil boot are shared with RefreshWithoutDatabaseTest: hand the database back. */
    @AfterEach
    void databaseBack() {
        PostgresRelay.restore();
    }

    private static Response login(String username, String password, String address) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password)).post("/login");
    }

    private static String randomAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    @Test
    void unregistrableNamesAreRefusedWithoutAskingTheDatabase() {
        TestUser user = TestUsers.create(TestUsers.uniqueName("lockvictim-k"), "correct horse battery", null, true, "{}");
        String address = randomAddress();
        login(user.username(), user.password(), address).then().statusCode(200);
        PostgresRelay.cut();
        // The database really is out of reach: a name that could be a user's cannot be checked.
        login(user.username(), user.password(), address).then().statusCode(503).body("code", equalTo("unavailable"));
        for (String name : List.of(user.username().replaceFirst("i", "\u0130"), user.username().replaceFirst("k", "\u212A"),
                user.username().replaceFirst("l", "\uFF4C"), user.username() + " ", user.username() + "\u0000")) {
            login(name, user.password(), address).then().statusCode(401).body("code", equalTo("invalid_credentials"));
        }
    }
}
