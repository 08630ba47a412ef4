package dev.sigil.user;

import com.nimbusds.jwt.SignedJWT;
import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers.TestUser;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;

/**
 * Every loss of privilege reaches live access tokens at once: a role removed, the user disabled,
 * deleted or given a new password by an admin bumps the user's version ({@code sigil:{uid}:ver}), and
 * every access token that carries an older {@code uv} is refused by Sigil's own endpoints.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class PrivilegeLossTest {

    static final String GOOD = "amber kettle distant";

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static String version(UUID user) {
        return (String) TestRedis.call("GET", TestRedis.prefix(user) + "ver");
    }

    private static long uv(String accessToken) throws Exception {
        Object uv = SignedJWT.parse(accessToken).getJWTClaimsSet().getClaim("uv");
        return uv == null ? 0 : ((Number) uv).longValue();
    }

    @Test
    void aDemotedAdminsLiveTokenIsRefusedAtOnceAndCannotGrantItselfTheRoleBack() throws Exception {
        TestUser a = TestUsers.create("admin", "reader");
        Response aLogin = Api.loggedIn(a);
        String aToken = Api.accessToken(aLogin);
        String bToken = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        as(aToken).get("/admin/users").then().statusCode(200);

        as(bToken).body(Map.of("roles", List.of("reader"))).patch("/admin/users/" + a.id()).then().statusCode(200);

        as(aToken).get("/admin/users").then().statusCode(oneOf(401, 403));
        as(aToken).body(Map.of("roles", List.of("admin", "reader"))).patch("/admin/users/" + a.id()).then().statusCode(oneOf(401, 403));
        as(aToken).body(Map.of("username", TestUsers.uniqueName("sneak"), "password", GOOD, "roles", List.of("admin")))
                .post("/admin/users").then().statusCode(oneOf(401, 403));
        as(bToken).get("/admin/users/" + a.id()).then().statusCode(200).body("roles", equalTo(List.of("reader")));
        assertThat(version(a.id())).isEqualTo("1");

        Response refreshed = Api.refresh(Api.refreshCookie(aLogin)).then().statusCode(200).extract().response();
        String next = Api.accessToken(refreshed);
        assertThat(SignedJWT.parse(next).getJWTClaimsSet().getStringListClaim("groups")).containsExactly("reader");
        assertThat(uv(next)).isEqualTo(1);
        Api.me(next).then().statusCode(200);
        as(next).get("/admin/users").then().statusCode(403);
    }

    @Test
    void aChangedClaimOrEmailEndsTheTokensThatStillCarryTheOldOnes() throws Exception {
        TestUser user = TestUsers.create("reader");
        Response login = Api.loggedIn(user);
        String admin = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));

        as(admin).body(Map.of("claims", Map.of("organization", "other"))).patch("/admin/users/" + user.id()).then().statusCode(200);

        Api.me(Api.accessToken(login)).then().statusCode(401).body("code", equalTo("invalid_token"));
        assertThat(version(user.id())).isEqualTo("1");
        String next = Api.accessToken(Api.refresh(Api.refreshCookie(login)).then().statusCode(200).extract().response());
        assertThat(SignedJWT.parse(next).getJWTClaimsSet().getStringClaim("organization")).isEqualTo("other");
        Api.me(next).then().statusCode(200);
    }

    @Test
    void disablingAnAdminEndsItsTokenOnTheAdminApiAtOnce() {
        TestUser a = TestUsers.create("admin");
        String aToken = Api.accessToken(Api.loggedIn(a));
        String bToken = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));

        as(bToken).body(Map.of("enabled", false)).patch("/admin/users/" + a.id()).then().statusCode(200);

        as(aToken).get("/admin/users").then().statusCode(oneOf(401, 403));
        as(aToken).body(Map.of("enabled", true)).patch("/admin/users/" + a.id()).then().statusCode(oneOf(401, 403));
        assertThat(version(a.id())).isEqualTo("1");
    }

    @Test
    void deletingAnAdminEndsItsTokenOnTheAdminApiAtOnce() {
        TestUser a = TestUsers.create("admin");
        String aToken = Api.accessToken(Api.loggedIn(a));
        String bToken = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));

        as(bToken).delete("/admin/users/" + a.id()).then().statusCode(204);

        as(aToken).get("/admin/users").then().statusCode(oneOf(401, 403));
        // Bumped before the delete (so a Redis outage deletes nothing) and after it (for logins in between).
        assertThat(version(a.id())).isEqualTo("2");
    }

    @Test
    void resettingAnAdminsPasswordEndsItsTokenAndRefreshAtOnce() {
        TestUser a = TestUsers.create("admin");
        Response aLogin = Api.loggedIn(a);
        String bToken = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));

        as(bToken).body(Map.of("password", GOOD)).post("/admin/users/" + a.id() + "/password").then().statusCode(204);

        as(Api.accessToken(aLogin)).get("/admin/users").then().statusCode(oneOf(401, 403));
        Api.refresh(Api.refreshCookie(aLogin)).then().statusCode(401);
        assertThat(version(a.id())).isEqualTo("1");
        String fresh = Api.accessToken(Api.login(a.username(), GOOD).then().statusCode(200).extract().response());
        as(fresh).get("/admin/users").then().statusCode(200);
    }

    @Test
    void aTokenWhoseVersionIsNotTheCurrentOneIsRefused() throws Exception {
        TestUser user = TestUsers.create();
        String token = Api.accessToken(Api.loggedIn(user));
        assertThat(uv(token)).isZero();
        Api.me(token).then().statusCode(200);

        TestRedis.call("SET", TestRedis.prefix(user.id()) + "ver", "7");
        Api.me(token).then().statusCode(401).body("code", equalTo("invalid_token"));
        String fresh = Api.accessToken(Api.loggedIn(user));
        assertThat(uv(fresh)).isEqualTo(7);
        Api.me(fresh).then().statusCode(200);
    }

    @Test
    void changingOnesOwnPasswordKeepsTheCallersTokenWorking() {
        TestUser user = TestUsers.create();
        String token = Api.accessToken(Api.loggedIn(user));

        as(token).body(Map.of("current_password", user.password(), "new_password", GOOD)).put("/me/password").then().statusCode(204);

        Api.me(token).then().statusCode(200);
        assertThat(version(user.id())).isNull();
    }
}
