package dev.sigil.mfa;

import dev.sigil.support.FlippedSwitches;
import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** With sigil.mfa.enabled=false the endpoints answer 404 and login asks for no code, whatever is stored. */
@QuarkusTest
@TestProfile(FlippedSwitches.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class MfaDisabledTest {

    @Test
    void endpointsAreNotFoundAndLoginNeedsNoCode() throws Exception {
        TestUser user = TestUsers.create();
        try (var c = DriverManager.getConnection(TestUsers.jdbc(), "postgres", null);
             PreparedStatement ps = c.prepareStatement(
                     "insert into sigil.mfa_totp (user_id, secret_encrypted, confirmed_at, created_at) values (?, 'x', now(), now())")) {
            ps.setObject(1, user.id());
            ps.executeUpdate();
        }
        String access = Api.accessToken(Api.loggedIn(user));
        given().auth().oauth2(access).contentType("application/json").body(Map.of("password", user.password())).post("/me/mfa/totp")
                .then().statusCode(404).body("code", equalTo("not_found"));
        given().auth().oauth2(access).contentType("application/json").body(Map.of("code", "123456")).post("/me/mfa/verify")
                .then().statusCode(404);
    }
}
