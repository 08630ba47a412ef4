package dev.sigil.user;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * A self-registered email is only what the user typed: tokens, /me and the admin views say
 * {@code email_verified: false} until an admin sets or confirms the address.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class EmailVerifiedTest {

    static final String GOOD = "quiet orchard lantern";

    private String adminToken;

    private RequestSpecification admin() {
        if (adminToken == null) {
            adminToken = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        }
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON);
    }

    private static Response register(String name, String email) {
        return given().contentType(ContentType.JSON).body(Map.of("username", name, "password", GOOD, "email", email)).post("/users");
    }

    private static JWTClaimsSet tokenClaims(String name) throws Exception {
        return SignedJWT.parse(Api.accessToken(Api.loggedIn(new TestUsers.TestUser(null, name, GOOD)))).getJWTClaimsSet();
    }

    private UUID selfRegistered(String name, String email) {
        return UUID.fromString(register(name, email).then().statusCode(201).extract().jsonPath().getString("id"));
    }

    @Test
    void aSelfRegisteredEmailIsUnverifiedInTheAnswerTheTokenAndTheProfile() throws Exception {
        String name = TestUsers.uniqueName("self");
        register(name, "self@example.com").then().statusCode(201)
                .body("email", equalTo("self@example.com")).body("email_verified", equalTo(false));

        JWTClaimsSet claims = tokenClaims(name);
        assertThat(claims.getStringClaim("email")).isEqualTo("self@example.com");
        assertThat(claims.getClaim("email_verified")).isEqualTo(false);
        Api.me(Api.accessToken(Api.loggedIn(new TestUsers.TestUser(null, name, GOOD)))).then().statusCode(200)
                .body("email", equalTo("self@example.com")).body("email_verified", equalTo(false));
    }

    @Test
    void anEmailAnAdminSetsAtCreationIsVerified() throws Exception {
        String name = TestUsers.uniqueName("made");
        String id = admin().body(Map.of("username", name, "password", GOOD, "email", "made@example.com")).post("/admin/users")
                .then().statusCode(201).body("email_verified", equalTo(true)).extract().jsonPath().getString("id");
        admin().get("/admin/users/" + id).then().statusCode(200).body("email_verified", equalTo(true));
        admin().queryParam("username", name).get("/admin/users").then().statusCode(200)
                .body("items[0].email_verified", equalTo(true));
        assertThat(tokenClaims(name).getClaim("email_verified")).isEqualTo(true);
    }

    @Test
    void anAdminPatchThatSetsAnEmailMarksItVerified() throws Exception {
        String name = TestUsers.uniqueName("self");
        UUID id = selfRegistered(name, "typed@example.com");
        admin().body(Map.of("email", "checked@example.com")).patch("/admin/users/" + id).then().statusCode(200)
                .body("email", equalTo("checked@example.com")).body("email_verified", equalTo(true));
        assertThat(tokenClaims(name).getClaim("email_verified")).isEqualTo(true);
    }

    @Test
    void anAdminPatchConfirmsOrClearsTheCurrentAddressWithoutChangingIt() throws Exception {
        String name = TestUsers.uniqueName("self");
        UUID id = selfRegistered(name, "mine@example.com");
        admin().body(Map.of("email_verified", true)).patch("/admin/users/" + id).then().statusCode(200)
                .body("email", equalTo("mine@example.com")).body("email_verified", equalTo(true));
        assertThat(tokenClaims(name).getClaim("email_verified")).isEqualTo(true);

        admin().body(Map.of("email_verified", false)).patch("/admin/users/" + id).then().statusCode(200)
                .body("email", equalTo("mine@example.com")).body("email_verified", equalTo(false));
        assertThat(tokenClaims(name).getClaim("email_verified")).isEqualTo(false);
    }

    @Test
    void anAdminMaySetAnEmailExplicitlyUnverified() {
        UUID id = selfRegistered(TestUsers.uniqueName("self"), "a@example.com");
        admin().body(Map.of("email", "b@example.com", "email_verified", false)).patch("/admin/users/" + id).then().statusCode(200)
                .body("email", equalTo("b@example.com")).body("email_verified", equalTo(false));
    }

    @Test
    void removingTheEmailClearsVerifiedAndAMissingEmailCannotBeConfirmed() throws Exception {
        String name = TestUsers.uniqueName("made");
        String id = admin().body(Map.of("username", name, "password", GOOD, "email", "gone@example.com")).post("/admin/users")
                .then().statusCode(201).extract().jsonPath().getString("id");
        Map<String, Object> noEmail = new HashMap<>();
        noEmail.put("email", null);
        admin().body(noEmail).patch("/admin/users/" + id).then().statusCode(200)
                .body("email", nullValue()).body("email_verified", equalTo(false));

        admin().body(Map.of("email_verified", true)).patch("/admin/users/" + id).then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("detail", containsString("email_verified"));
        admin().get("/admin/users/" + id).then().body("email_verified", equalTo(false));

        JWTClaimsSet claims = tokenClaims(name);
        assertThat(claims.getClaims()).doesNotContainKeys("email", "email_verified");
    }

    @Test
    void emailVerifiedMayNotBeNull() {
        UUID id = selfRegistered(TestUsers.uniqueName("self"), "n@example.com");
        Map<String, Object> body = new HashMap<>();
        body.put("email_verified", null);
        admin().body(body).patch("/admin/users/" + id).then().statusCode(400).body("code", equalTo("validation_failed"));
    }
}
