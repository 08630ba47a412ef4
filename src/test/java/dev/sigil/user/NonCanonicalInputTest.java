package dev.sigil.user;

import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Input that Java or JSON would silently turn into something else is refused: a lone UTF-16 surrogate
 * in a password (UTF-8 encoding makes it '?', so two different passwords would hash alike) and a
 * number too large for a double in a custom claim (it would become "Infinity"). Bodies are raw JSON
 * text, so the escapes reach the server exactly as written.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class NonCanonicalInputTest {

    /** JSON text of a password with a lone high surrogate; UTF-8 would encode it as "amber kettle ?distant". */
    static final String LONE = "amber kettle \\ud800distant";
    static final String AS_QUESTION_MARK = "amber kettle ?distant";
    static final String GOOD = "amber kettle distant";

    private String adminToken;

    private RequestSpecification admin() {
        if (adminToken == null) {
            adminToken = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        }
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON);
    }

    private static void refused(Response r, String detail) {
        r.then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("validation_failed")).body("detail", containsString(detail));
    }

    @Test
    void aLoginPasswordWithALoneSurrogateIsRefusedRatherThanMatchedAsAQuestionMark() {
        TestUser user = TestUsers.create(TestUsers.uniqueName("sur"), AS_QUESTION_MARK, null, true, "{}");
        refused(given().contentType(ContentType.JSON)
                .body("{\"username\": \"" + user.username() + "\", \"password\": \"" + LONE + "\"}").post("/login"), "password");
    }

    @Test
    void aRegistrationPasswordWithALoneSurrogateIsRefusedAndCreatesNothing() {
        String name = TestUsers.uniqueName("sur");
        refused(given().contentType(ContentType.JSON)
                .body("{\"username\": \"" + name + "\", \"password\": \"" + LONE + "\"}").post("/users"), "password");
        assertThat(TestUsers.count("select count(*) from sigil.users where username = ?", name)).isZero();
    }

    @Test
    void aPasswordChangeWithALoneSurrogateIsRefusedAndChangesNothing() {
        TestUser user = TestUsers.create();
        String hash = TestUsers.passwordHash(user.id());
        String token = Api.accessToken(Api.loggedIn(user));
        refused(given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"current_password\": \"" + user.password() + "\", \"new_password\": \"" + LONE + "\"}")
                .put("/me/password"), "new_password");
        refused(given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"current_password\": \"" + LONE + "\", \"new_password\": \"" + GOOD + "\"}")
                .put("/me/password"), "current_password");
        assertThat(TestUsers.passwordHash(user.id())).isEqualTo(hash);
    }

    @Test
    void anAdminCreateOrResetWithALoneSurrogateIsRefusedAndChangesNothing() {
        String name = TestUsers.uniqueName("sur");
        refused(admin().body("{\"username\": \"" + name + "\", \"password\": \"" + LONE + "\"}").post("/admin/users"), "password");
        assertThat(TestUsers.count("select count(*) from sigil.users where username = ?", name)).isZero();

        TestUser user = TestUsers.create();
        String hash = TestUsers.passwordHash(user.id());
        refused(admin().body("{\"password\": \"" + LONE + "\"}").post("/admin/users/" + user.id() + "/password"), "password");
        assertThat(TestUsers.passwordHash(user.id())).isEqualTo(hash);
    }

    @Test
    void aNonFiniteNumberInTheClaimsOfANewUserIsRefusedAndCreatesNothing() {
        String name = TestUsers.uniqueName("inf");
        refused(admin().body("{\"username\": \"" + name + "\", \"password\": \"" + GOOD + "\", \"claims\": {\"score\": 1e400}}")
                .post("/admin/users"), "finite");
        assertThat(TestUsers.count("select count(*) from sigil.users where username = ?", name)).isZero();
    }

    @Test
    void aNonFiniteNumberInPatchedClaimsIsRefusedAndChangesNothing() {
        TestUser user = TestUsers.create(TestUsers.uniqueName("inf"), GOOD, null, true, "{\"org\": \"a\"}");
        refused(admin().body("{\"claims\": {\"org\": \"b\", \"nested\": [1, -1e400]}}").patch("/admin/users/" + user.id()), "finite");
        admin().get("/admin/users/" + user.id()).then().statusCode(200).body("claims.org", equalTo("a"))
                .body("claims.nested", equalTo(null));
    }
}
