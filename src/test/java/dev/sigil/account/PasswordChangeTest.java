package dev.sigil.account;

import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import com.nimbusds.jwt.SignedJWT;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class PasswordChangeTest {

    static final String NEW = "marble falcon quietly";

    static Response change(String accessToken, String current, String next) {
        return given().auth().oauth2(accessToken).contentType(ContentType.JSON)
                .body(Map.of("current_password", current, "new_password", next)).put("/me/password");
    }

    private static long changedAtMillis(TestUser user) {
        return TestUsers.count("select (extract(epoch from password_changed_at) * 1000)::bigint from sigil.users where id = ?", user.id());
    }

    @Test
    void changingThePasswordRevokesEveryOtherSessionAndKeepsTheCurrentOne() throws Exception {
        TestUser user = TestUsers.create();
        Response current = Api.loggedIn(user);
        Response other = Api.loggedIn(user);

        change(Api.accessToken(current), user.password(), NEW).then().statusCode(204);

        Api.refresh(Api.refreshCookie(other)).then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
        Api.me(Api.accessToken(other)).then().statusCode(401).body("code", equalTo("invalid_token"));
        Api.me(Api.accessToken(current)).then().statusCode(200);
        Api.refresh(Api.refreshCookie(current)).then().statusCode(200);
        String sid = SignedJWT.parse(Api.accessToken(current)).getJWTClaimsSet().getStringClaim("sid");
        assertThat((Long) TestRedis.call("ZCARD", TestRedis.prefix(user.id()) + "sessions")).isEqualTo(1L);
        assertThat(TestRedis.call("ZSCORE", TestRedis.prefix(user.id()) + "sessions", sid)).isNotNull();
    }

    @Test
    void theNewPasswordLogsInAndTheOldOneNoLonger() {
        TestUser user = TestUsers.create();
        change(Api.accessToken(Api.loggedIn(user)), user.password(), NEW).then().statusCode(204);
        Api.login(user.username(), NEW).then().statusCode(200);
        Api.login(user).then().statusCode(401).body("code", equalTo("invalid_credentials"));
    }

    @Test
    void changingThePasswordRecordsWhen() {
        TestUser user = TestUsers.create();
        long before = changedAtMillis(user);
        change(Api.accessToken(Api.loggedIn(user)), user.password(), NEW).then().statusCode(204);
        assertThat(changedAtMillis(user)).isGreaterThan(before);
    }

    @Test
    void aWrongCurrentPasswordIs403AndChangesNothing() {
        TestUser user = TestUsers.create();
        Response session = Api.loggedIn(user);
        Response other = Api.loggedIn(user);
        String hash = TestUsers.passwordHash(user.id());

        change(Api.accessToken(session), "not the password", NEW).then().statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("invalid_current_password"))
                .header("WWW-Authenticate", org.hamcrest.Matchers.nullValue());

        assertThat(TestUsers.passwordHash(user.id())).isEqualTo(hash);
        Api.me(Api.accessToken(session)).then().statusCode(200);
        Api.refresh(Api.refreshCookie(other)).then().statusCode(200);
    }

    @Test
    void aNewPasswordThePolicyRefusesIs400AndChangesNothing() {
        TestUser user = TestUsers.create();
        Response other = Api.loggedIn(user);
        String hash = TestUsers.passwordHash(user.id());

        change(Api.accessToken(Api.loggedIn(user)), user.password(), "password1").then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("detail", containsString("too common"));
        change(Api.accessToken(Api.loggedIn(user)), user.password(), user.username()).then().statusCode(400)
                .body("detail", containsString("must not be the username"));

        assertThat(TestUsers.passwordHash(user.id())).isEqualTo(hash);
        Api.refresh(Api.refreshCookie(other)).then().statusCode(200);
    }

    @Test
    void aMissingFieldIsNamed() {
        TestUser user = TestUsers.create();
        given().auth().oauth2(Api.accessToken(Api.loggedIn(user))).contentType(ContentType.JSON)
                .body(Map.of("new_password", NEW)).put("/me/password")
                .then().statusCode(400).body("detail", equalTo("current_password is required"));
    }

    @Test
    void changingThePasswordRequiresABearerToken() {
        given().contentType(ContentType.JSON).body(Map.of("current_password", "x", "new_password", NEW))
                .put("/me/password").then().statusCode(401).header("WWW-Authenticate", "Bearer");
    }
}
