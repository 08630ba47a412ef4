package dev.sigil.admin;

import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class AdminUsersTest {

    static final String GOOD = "amber kettle distant";

    private String adminToken;

    /** A fresh admin per test, logged in on first use (the app is up only once the test runs). */
    private RequestSpecification admin() {
        if (adminToken == null) {
            adminToken = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        }
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON);
    }

    private Response create(Map<String, Object> body) {
        return admin().body(body).post("/admin/users");
    }

    private Response patch(UUID id, Object body) {
        return admin().body(body).patch("/admin/users/" + id);
    }

    private static JWTClaimsSet claims(Response tokenResponse) throws Exception {
        return SignedJWT.parse(Api.accessToken(tokenResponse)).getJWTClaimsSet();
    }

    private static long count(String sql, Object... params) {
        return TestUsers.count(sql, params);
    }

    // ---- create ------------------------------------------------------------------------------------

    @Test
    void adminCreatesAUserWith201AndALocationThatReadsIt() {
        String name = TestUsers.uniqueName("made");
        Response r = create(Map.of("username", name, "password", GOOD, "email", "made@example.com",
                "roles", List.of("reader", "writer"), "claims", Map.of("organization", "acme")));
        r.then().statusCode(201).contentType(ContentType.JSON)
                .body("username", equalTo(name))
                .body("email", equalTo("made@example.com"))
                .body("roles", equalTo(List.of("reader", "writer")))
                .body("claims.organization", equalTo("acme"))
                .body("enabled", equalTo(true))
                .body(not(containsString("argon2")))
                .body(not(containsString("passwordHash")));
        String location = r.getHeader("Location");
        assertThat(location).isEqualTo(Api.issuer() + "/admin/users/" + r.jsonPath().getString("id"));
        admin().get(location).then().statusCode(200).body("username", equalTo(name));
        Api.login(name, GOOD).then().statusCode(200);
    }

    @Test
    void aUserCreatedDisabledCannotLogIn() {
        String name = TestUsers.uniqueName("off");
        create(Map.of("username", name, "password", GOOD, "enabled", false)).then().statusCode(201).body("enabled", equalTo(false));
        Api.login(name, GOOD).then().statusCode(401);
    }

    @Test
    void creatingATakenUsernameInAnotherCaseIs409() {
        TestUser existing = TestUsers.create();
        create(Map.of("username", existing.username().toUpperCase(), "password", GOOD)).then().statusCode(409)
                .body("code", equalTo("conflict"));
    }

    @Test
    void theAdminPasswordPolicyIsTheSame() {
        String name = TestUsers.uniqueName("weak");
        create(Map.of("username", name, "password", "baseball")).then().statusCode(400)
                .body("detail", containsString("too common"));
        assertThat(count("select count(*) from sigil.users where username = ?", name)).isZero();
    }

    @Test
    void reservedClaimNamesAreRefusedAndCreateNothing() {
        for (String reserved : List.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "sid", "upn", "groups", "typ", "email")) {
            String name = TestUsers.uniqueName("reserved");
            create(Map.of("username", name, "password", GOOD, "claims", Map.of(reserved, "x"))).then().statusCode(400)
                    .body("code", equalTo("validation_failed"))
                    .body("detail", containsString("claims may not set '" + reserved + "'"));
            assertThat(count("select count(*) from sigil.users where username = ?", name)).isZero();
        }
    }

    @Test
    void claimsOverFourKibibytesAreRefused() {
        create(Map.of("username", TestUsers.uniqueName("big"), "password", GOOD, "claims", Map.of("blob", "x".repeat(4100))))
                .then().statusCode(400).body("detail", containsString("at most 4096 bytes"));
    }

    @Test
    void claimsThatAreNotAJsonObjectAreRefused() {
        create(Map.of("username", TestUsers.uniqueName("arr"), "password", GOOD, "claims", List.of("a")))
                .then().statusCode(400).body("code", equalTo("validation_failed")).body("detail", containsString("claims"));
    }

    @Test
    void rolesOutsideTheSafePatternAreRefused() {
        for (String bad : List.of("", "has space", "-leading", "a,b", "{x}", "r".repeat(65))) {
            create(Map.of("username", TestUsers.uniqueName("role"), "password", GOOD, "roles", List.of(bad)))
                    .then().statusCode(400).body("detail", containsString("each role must be"));
        }
    }

    // ---- list and get ------------------------------------------------------------------------------

    @Test
    void listIsPagedAndFilteredByCaseInsensitiveUsernamePrefix() {
        String prefix = "Pg" + UUID.randomUUID().toString().substring(0, 8);
        for (String suffix : List.of("-a", "-b", "-c")) {
            TestUsers.create(prefix + suffix, GOOD, null, true, "{}");
        }
        admin().queryParam("username", prefix.toLowerCase()).queryParam("size", 2).get("/admin/users").then()
                .statusCode(200).body("total", equalTo(3)).body("page", equalTo(0)).body("size", equalTo(2))
                .body("items.username", equalTo(List.of(prefix + "-a", prefix + "-b")))
                .body(not(containsString("argon2")));
        admin().queryParam("username", prefix.toUpperCase()).queryParam("size", 2).queryParam("page", 1).get("/admin/users")
                .then().statusCode(200).body("items.username", equalTo(List.of(prefix + "-c")));
    }

    @Test
    void likeWildcardsInThePrefixMatchOnlyThemselves() {
        String prefix = "wc" + UUID.randomUUID().toString().substring(0, 8);
        TestUsers.create(prefix + "_x", GOOD, null, true, "{}");
        TestUsers.create(prefix + "ax", GOOD, null, true, "{}");
        admin().queryParam("username", prefix + "_").get("/admin/users").then().statusCode(200)
                .body("items.username", equalTo(List.of(prefix + "_x")));
        admin().queryParam("username", prefix + "%").get("/admin/users").then().statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void aPageSizeAbove100IsRefused() {
        admin().queryParam("size", 101).get("/admin/users").then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("detail", equalTo("size must be between 1 and 100"));
        admin().queryParam("size", 100).get("/admin/users").then().statusCode(200);
    }

    @Test
    void anUnknownIdIs404ForEveryOperation() {
        String path = "/admin/users/" + UUID.randomUUID();
        admin().get(path).then().statusCode(404).body("code", equalTo("not_found"));
        admin().body(Map.of("enabled", false)).patch(path).then().statusCode(404);
        admin().body(Map.of("password", GOOD)).post(path + "/password").then().statusCode(404);
        admin().delete(path).then().statusCode(404);
        admin().get("/admin/users/not-a-uuid").then().statusCode(404);
    }

    @Test
    void anIdInAnyButTheCanonicalSpellingIs404AndChangesNothing() {
        TestUser user = TestUsers.create("reader");
        String canonical = user.id().toString();
        String hash = TestUsers.passwordHash(user.id());
        for (String id : List.of(canonical.toUpperCase(java.util.Locale.ROOT), "%7B" + canonical + "%7D", canonical + "%00",
                canonical.replace("-", ""), "%20" + canonical)) {
            assertThat(id).isNotEqualTo(canonical);
            String path = "/admin/users/" + id;
            admin().urlEncodingEnabled(false).get(path).then().statusCode(404).body("code", equalTo("not_found"));
            admin().urlEncodingEnabled(false).body(Map.of("enabled", false)).patch(path).then().statusCode(404);
            admin().urlEncodingEnabled(false).body(Map.of("password", GOOD)).post(path + "/password").then().statusCode(404);
            admin().urlEncodingEnabled(false).delete(path).then().statusCode(404);
        }
        admin().get("/admin/users/" + canonical).then().statusCode(200).body("enabled", equalTo(true));
        assertThat(TestUsers.passwordHash(user.id())).isEqualTo(hash);
    }

    // ---- update ------------------------------------------------------------------------------------

    @Test
    void customClaimsAndRolesChangedByAnAdminAppearInTheNextAccessToken() throws Exception {
        TestUser user = TestUsers.create("reader");
        Response session = Api.loggedIn(user);

        patch(user.id(), Map.of("roles", List.of("reader", "editor"), "claims", Map.of("organization", "acme", "tier", 3),
                "email", "next@example.com")).then().statusCode(200)
                .body("roles", equalTo(List.of("reader", "editor"))).body("claims.tier", equalTo(3));

        JWTClaimsSet refreshed = claims(Api.refresh(Api.refreshCookie(session)).then().statusCode(200).extract().response());
        assertThat(refreshed.getStringListClaim("groups")).containsExactlyInAnyOrder("reader", "editor");
        assertThat(refreshed.getStringClaim("organization")).isEqualTo("acme");
        assertThat(refreshed.getLongClaim("tier")).isEqualTo(3L);
        assertThat(refreshed.getStringClaim("email")).isEqualTo("next@example.com");
        assertThat(claims(Api.loggedIn(user)).getStringClaim("organization")).isEqualTo("acme");
    }

    @Test
    void aPatchChangesOnlyTheFieldsItNames() {
        TestUser user = TestUsers.create(TestUsers.uniqueName("keep"), GOOD, "keep@example.com", true, "{\"org\":\"a\"}", "reader");
        patch(user.id(), Map.of("roles", List.of("writer"))).then().statusCode(200)
                .body("roles", equalTo(List.of("writer"))).body("email", equalTo("keep@example.com"))
                .body("claims.org", equalTo("a")).body("enabled", equalTo(true));
    }

    @Test
    void aNullEmailRemovesTheEmail() {
        TestUser user = TestUsers.create(TestUsers.uniqueName("mail"), GOOD, "gone@example.com", true, "{}");
        Map<String, Object> body = new HashMap<>();
        body.put("email", null);
        patch(user.id(), body).then().statusCode(200).body("email", nullValue());
    }

    @Test
    void aReservedClaimInAnUpdateIsRefusedAndChangesNothing() {
        TestUser user = TestUsers.create(TestUsers.uniqueName("upd"), GOOD, null, true, "{\"org\":\"a\"}", "reader");
        patch(user.id(), Map.of("roles", List.of("admin"), "claims", Map.of("sub", "someone-else"))).then().statusCode(400)
                .body("detail", containsString("claims may not set 'sub'"));
        admin().get("/admin/users/" + user.id()).then().statusCode(200)
                .body("roles", equalTo(List.of("reader"))).body("claims", equalTo(Map.of("org", "a")));
    }

    @Test
    void nullRolesOrUnknownFieldsAreRefused() {
        TestUser user = TestUsers.create();
        Map<String, Object> nullRoles = new LinkedHashMap<>();
        nullRoles.put("roles", null);
        patch(user.id(), nullRoles).then().statusCode(400).body("code", equalTo("validation_failed"));
        patch(user.id(), Map.of("username", "renamed")).then().statusCode(400).body("detail", equalTo("Unknown field 'username'"));
    }

    @Test
    void disablingAUserRevokesAllItsSessionsAtOnce() {
        TestUser user = TestUsers.create();
        Response a = Api.loggedIn(user);
        Response b = Api.loggedIn(user);

        patch(user.id(), Map.of("enabled", false)).then().statusCode(200).body("enabled", equalTo(false));

        for (Response session : List.of(a, b)) {
            Api.refresh(Api.refreshCookie(session)).then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
            Api.me(Api.accessToken(session)).then().statusCode(401).body("code", equalTo("invalid_token"));
        }
        Api.login(user).then().statusCode(401);
    }

    // ---- password reset and delete -----------------------------------------------------------------

    @Test
    void resettingThePasswordRevokesAllSessionsAndOnlyTheNewPasswordLogsIn() {
        TestUser user = TestUsers.create();
        Response session = Api.loggedIn(user);

        admin().body(Map.of("password", GOOD)).post("/admin/users/" + user.id() + "/password").then().statusCode(204);

        Api.refresh(Api.refreshCookie(session)).then().statusCode(401);
        Api.me(Api.accessToken(session)).then().statusCode(401);
        Api.login(user).then().statusCode(401);
        Api.login(user.username(), GOOD).then().statusCode(200);
    }

    @Test
    void aResetPasswordThePolicyRefusesChangesNothing() {
        TestUser user = TestUsers.create();
        Response session = Api.loggedIn(user);
        admin().body(Map.of("password", "short")).post("/admin/users/" + user.id() + "/password").then().statusCode(400)
                .body("detail", containsString("at least 8 characters"));
        Api.refresh(Api.refreshCookie(session)).then().statusCode(200);
        Api.login(user).then().statusCode(200);
    }

    @Test
    void aResetWithoutAPasswordOrWithAnOverlongOneIsRefusedWithItsField() {
        TestUser user = TestUsers.create();
        admin().body(Map.of()).post("/admin/users/" + user.id() + "/password").then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("detail", equalTo("password is required"));
        admin().body(Map.of("password", "x".repeat(1025))).post("/admin/users/" + user.id() + "/password").then().statusCode(400)
                .body("detail", equalTo("password must be at most 1024 characters"));
        Api.login(user).then().statusCode(200);
    }

    @Test
    void deletingAUserRevokesAllItsSessionsAndItIsGone() {
        TestUser user = TestUsers.create();
        Response session = Api.loggedIn(user);

        admin().delete("/admin/users/" + user.id()).then().statusCode(204);

        admin().get("/admin/users/" + user.id()).then().statusCode(404);
        Api.refresh(Api.refreshCookie(session)).then().statusCode(401);
        Api.me(Api.accessToken(session)).then().statusCode(401);
        Api.login(user).then().statusCode(401);
    }

    // ---- authorization -----------------------------------------------------------------------------

    @Test
    void aCallerWithoutTheAdminRoleGets403Everywhere() {
        String token = Api.accessToken(Api.loggedIn(TestUsers.create("reader")));
        TestUser target = TestUsers.create();
        String path = "/admin/users/" + target.id();
        RequestSpecification nonAdmin = given().auth().oauth2(token).contentType(ContentType.JSON);
        nonAdmin.get("/admin/users").then().statusCode(403).body("code", equalTo("forbidden"));
        nonAdmin.body(Map.of("username", TestUsers.uniqueName("x"), "password", GOOD)).post("/admin/users").then().statusCode(403);
        nonAdmin.get(path).then().statusCode(403);
        nonAdmin.body(Map.of("enabled", false)).patch(path).then().statusCode(403);
        nonAdmin.body(Map.of("password", GOOD)).post(path + "/password").then().statusCode(403);
        nonAdmin.delete(path).then().statusCode(403);
        Api.login(target).then().statusCode(200);
    }

    @Test
    void noTokenGets401WithABareChallenge() {
        given().get("/admin/users").then().statusCode(401).header("WWW-Authenticate", "Bearer").body("code", equalTo("unauthorized"));
        given().contentType(ContentType.JSON).body(Map.of("username", "x", "password", GOOD)).post("/admin/users")
                .then().statusCode(401);
        given().delete("/admin/users/" + UUID.randomUUID()).then().statusCode(401);
    }
}
