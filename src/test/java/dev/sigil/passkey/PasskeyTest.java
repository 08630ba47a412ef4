package dev.sigil.passkey;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sigil.support.Api;
import dev.sigil.support.SoftAuthenticator;
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

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Passkeys over HTTP against the real PostgreSQL and Redis, a software authenticator (EC P-256, attestation
 * none) playing the browser: each ceremony positive, and each way an assertion must fail.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class PasskeyTest {

    /** A user with a registered passkey, its authenticator, and the session that registered it. */
    record Enrolled(TestUser user, SoftAuthenticator authenticator, String accessToken, String refresh, String passkeyId) {
    }

    private static SoftAuthenticator authenticator() {
        return new SoftAuthenticator("localhost", Api.issuer());
    }

    private static Response registrationOptions(String access, Map<String, Object> body) {
        return given().auth().oauth2(access).contentType(ContentType.JSON).body(body).post("/me/passkeys/registration/options");
    }

    private static Enrolled enrol(String... roles) {
        TestUser user = TestUsers.create(roles);
        Response login = Api.loggedIn(user);
        String access = Api.accessToken(login);
        SoftAuthenticator a = authenticator();
        Response options = registrationOptions(access, Map.of("password", user.password()));
        options.then().statusCode(200).header("Cache-Control", "no-store");
        Response created = given().auth().oauth2(access).contentType(ContentType.JSON)
                .body(Map.of("ceremony", options.jsonPath().getString("ceremony"), "name", "Laptop",
                        "credential", a.register(options.jsonPath().getString("publicKey.challenge"),
                                options.jsonPath().getString("publicKey.user.id"))))
                .post("/me/passkeys/registration");
        created.then().statusCode(201).body("name", equalTo("Laptop"));
        return new Enrolled(user, a, access, Api.refreshCookie(login), created.jsonPath().getString("id"));
    }

    private static Response signInOptions(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/login/passkey/options");
    }

    private static Response signIn(String ceremony, Map<String, Object> credential) {
        return given().contentType(ContentType.JSON).body(Map.of("ceremony", ceremony, "credential", credential)).post("/login/passkey");
    }

    /** A passwordless sign-in attempt by {@code a} with fresh options. */
    private static Response signIn(SoftAuthenticator a) {
        Response options = signInOptions(Map.of());
        return signIn(options.jsonPath().getString("ceremony"), a.assertion(options.jsonPath().getString("publicKey.challenge")));
    }

    static JWTClaimsSet claims(String jwt) {
        try {
            return SignedJWT.parse(jwt).getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertInvalidCredentials(Response r) {
        r.then().statusCode(401).contentType("application/problem+json").body("code", equalTo("invalid_credentials"))
                .body("detail", equalTo("The passkey could not be verified"));
    }

    @Test
    void registrationNeedsThePasswordAndListsThePasskey() {
        TestUser user = TestUsers.create();
        String access = Api.accessToken(Api.loggedIn(user));
        registrationOptions(access, Map.of("password", "wrong-password-here")).then().statusCode(403)
                .body("code", equalTo("invalid_current_password"));
        registrationOptions(access, Map.of()).then().statusCode(403).body("code", equalTo("step_up_required"));

        Enrolled e = enrol();
        Response list = given().auth().oauth2(e.accessToken()).get("/me/passkeys");
        list.then().statusCode(200).body("size()", equalTo(1)).body("[0].name", equalTo("Laptop"))
                .body("[0].backedUp", equalTo(false)).body("[0].lastUsed", equalTo(null));
        assertThat(list.jsonPath().getString("[0].created")).isNotBlank();
    }

    @Test
    void creationOptionsAreWebAuthnJsonAndTheCeremonyIsKeptBrieflyInRedis() {
        TestUser user = TestUsers.create();
        String access = Api.accessToken(Api.loggedIn(user));
        Response options = registrationOptions(access, Map.of("password", user.password()));
        options.then().statusCode(200).body("publicKey.rp.id", equalTo("localhost")).body("publicKey.attestation", equalTo("none"))
                .body("publicKey.authenticatorSelection.residentKey", equalTo("required"))
                .body("publicKey.pubKeyCredParams[0].alg", equalTo(-7));
        String key = "sigil:wac:" + options.jsonPath().getString("ceremony");
        long ttl = (Long) TestRedis.call("PTTL", key);
        assertThat(ttl).isPositive().isLessThanOrEqualTo(180_000);
        assertThat((String) TestRedis.call("GET", key)).contains("REGISTER").contains(user.id().toString());
    }

    @Test
    void aRegistrationCeremonyIsSingleUseAndTheCallersOwn() {
        TestUser user = TestUsers.create();
        String access = Api.accessToken(Api.loggedIn(user));
        TestUser other = TestUsers.create();
        String otherAccess = Api.accessToken(Api.loggedIn(other));
        Response options = registrationOptions(access, Map.of("password", user.password()));
        String ceremony = options.jsonPath().getString("ceremony");
        SoftAuthenticator a = authenticator();
        Map<String, Object> credential = a.register(options.jsonPath().getString("publicKey.challenge"), options.jsonPath().getString("publicKey.user.id"));
        // Another user's session cannot finish it, and the attempt burns the ceremony.
        given().auth().oauth2(otherAccess).contentType(ContentType.JSON).body(Map.of("ceremony", ceremony, "credential", credential))
                .post("/me/passkeys/registration").then().statusCode(400).body("code", equalTo("validation_failed"));
        given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("ceremony", ceremony, "credential", credential))
                .post("/me/passkeys/registration").then().statusCode(400);
        assertThat(TestUsers.count("select count(*) from sigil.passkeys where user_id = ?", user.id())).isZero();
    }

    @Test
    void passwordlessSignInAnswersLikeLoginWithMultiFactorAmr() {
        Enrolled e = enrol("mfa-guarded");
        Response options = signInOptions(Map.of());
        options.then().statusCode(200).header("Cache-Control", "no-store")
                .body("publicKey.userVerification", equalTo("required")).body("publicKey.allowCredentials.size()", equalTo(0))
                .body("publicKey.rpId", equalTo("localhost"));
        String ceremony = options.jsonPath().getString("ceremony");
        Response ok = signIn(ceremony, e.authenticator().assertion(options.jsonPath().getString("publicKey.challenge")));
        ok.then().statusCode(200).header("Cache-Control", "no-store").body("token_type", equalTo("Bearer"));
        assertThat(Api.refreshCookie(ok)).isNotBlank();
        assertThat(ok.getHeader("Set-Cookie")).containsIgnoringCase("HttpOnly").contains("SameSite=Strict").contains("Path=/refresh-token");
        JWTClaimsSet c = claims(Api.accessToken(ok));
        assertThat(c.getClaim("amr")).isEqualTo(List.of("hwk", "user"));
        assertThat(c.getClaim("acr")).isEqualTo("aal2");
        assertThat(c.getClaim("auth_time")).isNotNull();
        assertThat(c.getSubject()).isEqualTo(e.user().id().toString());
        // UV counts as the second factor for the MFA-gated roles.
        assertThat(c.getClaim("groups").toString()).contains("mfa-guarded");
        assertThat(TestRedis.call("EXISTS", "sigil:wac:" + ceremony)).isEqualTo(0L);
        given().auth().oauth2(e.accessToken()).get("/me/passkeys").then().body("[0].lastUsed", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aReplayedChallengeIsRefused() {
        Enrolled e = enrol();
        Response options = signInOptions(Map.of());
        String ceremony = options.jsonPath().getString("ceremony");
        String challenge = options.jsonPath().getString("publicKey.challenge");
        signIn(ceremony, e.authenticator().assertion(challenge)).then().statusCode(200);
        assertInvalidCredentials(signIn(ceremony, e.authenticator().assertion(challenge)));
    }

    @Test
    void aBadSignatureIsRefused() {
        Enrolled e = enrol();
        e.authenticator().signWith = SoftAuthenticator.newKey();
        assertInvalidCredentials(signIn(e.authenticator()));
    }

    @Test
    void missingUserVerificationOrPresenceIsRefused() {
        Enrolled e = enrol();
        e.authenticator().userVerified = false;
        assertInvalidCredentials(signIn(e.authenticator()));
        e.authenticator().userVerified = true;
        e.authenticator().userPresent = false;
        assertInvalidCredentials(signIn(e.authenticator()));
    }

    @Test
    void anotherOriginIsRefused() {
        Enrolled e = enrol();
        e.authenticator().origin = "https://evil.example.net";
        assertInvalidCredentials(signIn(e.authenticator()));
    }

    @Test
    void aCounterGoingBackwardsIsRefusedAsAClone() {
        Enrolled e = enrol();
        e.authenticator().counter = 10;
        signIn(e.authenticator()).then().statusCode(200);
        e.authenticator().counter = 3; // a copy of the key with an older counter
        assertInvalidCredentials(signIn(e.authenticator()));
        assertThat(TestUsers.count("select sign_count from sigil.passkeys where user_id = ?", e.user().id())).isEqualTo(11);
    }

    @Test
    void anUnknownCredentialOrAnotherUsersBoundCeremonyIsRefused() {
        assertInvalidCredentials(signIn(authenticator()));
        Enrolled alice = enrol();
        TestUser bob = TestUsers.create();
        Response options = signInOptions(Map.of("username", bob.username()));
        options.then().statusCode(200).body("publicKey.allowCredentials.size()", equalTo(0));
        assertInvalidCredentials(signIn(options.jsonPath().getString("ceremony"),
                alice.authenticator().assertion(options.jsonPath().getString("publicKey.challenge"))));
        // A user handle naming someone else than the credential's owner.
        alice.authenticator().userHandle = dev.sigil.passkey.WebAuthnCeremonies.userHandle(bob.id());
        assertInvalidCredentials(signIn(alice.authenticator()));
    }

    @Test
    void aDisabledUserCannotSignInWithAPasskey() {
        Enrolled e = enrol();
        TestUsers.setEnabled(e.user().id(), false);
        assertInvalidCredentials(signIn(e.authenticator()));
    }

    @Test
    void aPasskeyIsTheSecondFactorAfterThePassword() {
        Enrolled e = enrol("mfa-guarded");
        Response first = Api.login(e.user());
        first.then().statusCode(401).body("code", equalTo("mfa_required"));
        String mfaToken = first.jsonPath().getString("mfa_token");
        Response options = given().contentType(ContentType.JSON).body(Map.of("mfa_token", mfaToken)).post("/login/mfa/passkey/options");
        options.then().statusCode(200).body("publicKey.allowCredentials[0].id", equalTo(e.authenticator().credentialIdB64()));
        // Another user's credential does not answer this user's ceremony.
        Enrolled other = enrol();
        given().contentType(ContentType.JSON).body(Map.of("mfa_token", mfaToken, "ceremony", options.jsonPath().getString("ceremony"),
                        "credential", other.authenticator().assertion(options.jsonPath().getString("publicKey.challenge"))))
                .post("/login/mfa").then().statusCode(401).body("code", equalTo("invalid_mfa_code"));
        options = given().contentType(ContentType.JSON).body(Map.of("mfa_token", mfaToken)).post("/login/mfa/passkey/options");
        e.authenticator().userVerified = false; // a security key without a PIN is still the second factor
        Response done = given().contentType(ContentType.JSON).body(Map.of("mfa_token", mfaToken, "ceremony", options.jsonPath().getString("ceremony"),
                "credential", e.authenticator().assertion(options.jsonPath().getString("publicKey.challenge")))).post("/login/mfa");
        done.then().statusCode(200);
        JWTClaimsSet c = claims(Api.accessToken(done));
        assertThat(c.getClaim("amr")).isEqualTo(List.of("pwd", "hwk"));
        assertThat(c.getClaim("acr")).isEqualTo("aal2");
        assertThat(c.getClaim("groups").toString()).contains("mfa-guarded");
        given().contentType(ContentType.JSON).body(Map.of("mfa_token", mfaToken, "code", "123456")).post("/login/mfa")
                .then().statusCode(401).body("code", equalTo("invalid_mfa_token"));
    }

    @Test
    void stepUpWithAPasskeyThenDeletionEndsTheOtherSessions() {
        Enrolled e = enrol();
        // The registering session has the password alone: deletion needs a step-up first.
        given().auth().oauth2(e.accessToken()).delete("/me/passkeys/" + e.passkeyId()).then().statusCode(403)
                .body("code", equalTo("step_up_required"));
        Response other = signIn(e.authenticator());
        other.then().statusCode(200);

        Response options = given().auth().oauth2(e.accessToken()).post("/me/mfa/passkey/options");
        options.then().statusCode(200).body("publicKey.userVerification", equalTo("required"));
        given().auth().oauth2(e.accessToken()).contentType(ContentType.JSON).body(Map.of("ceremony", options.jsonPath().getString("ceremony"),
                        "credential", e.authenticator().assertion(options.jsonPath().getString("publicKey.challenge"))))
                .post("/me/mfa/verify").then().statusCode(204);
        Response refreshed = Api.refresh(e.refresh());
        refreshed.then().statusCode(200);
        String stepped = Api.accessToken(refreshed);
        assertThat(claims(stepped).getClaim("amr")).isEqualTo(List.of("pwd", "hwk", "user"));

        given().auth().oauth2(stepped).contentType(ContentType.JSON).body(Map.of("name", "Work laptop"))
                .patch("/me/passkeys/" + e.passkeyId()).then().statusCode(204);
        given().auth().oauth2(stepped).delete("/me/passkeys/" + e.passkeyId()).then().statusCode(204);
        given().auth().oauth2(stepped).get("/me/passkeys").then().statusCode(401); // older tokens end with the factor
        Api.refresh(Api.refreshCookie(other)).then().statusCode(401); // the passwordless session ended
        Response own = Api.refresh(Api.refreshCookie(refreshed));
        own.then().statusCode(200);
        assertThat(claims(Api.accessToken(own)).getClaim("amr")).isEqualTo(List.of("pwd"));
        assertInvalidCredentials(signIn(e.authenticator()));
        Api.login(e.user()).then().statusCode(200); // no factor left: the password alone again
    }

    @Test
    void managementRefusesOtherUsersPasskeysAndBadIds() {
        Enrolled e = enrol();
        TestUser other = TestUsers.create();
        String otherAccess = Api.accessToken(Api.loggedIn(other));
        given().auth().oauth2(otherAccess).contentType(ContentType.JSON).body(Map.of("name", "mine"))
                .patch("/me/passkeys/" + e.passkeyId()).then().statusCode(404);
        given().auth().oauth2(otherAccess).contentType(ContentType.JSON).body(Map.of("name", "x"))
                .patch("/me/passkeys/NOT-A-UUID").then().statusCode(404);
        given().auth().oauth2(e.accessToken()).contentType(ContentType.JSON).body(Map.of("name", ""))
                .patch("/me/passkeys/" + e.passkeyId()).then().statusCode(400);
    }

    @Test
    void anAdminRemovesAUsersPasskeysAndEndsTheSessions() {
        Enrolled e = enrol();
        String admin = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        given().auth().oauth2(admin).delete("/admin/users/" + e.user().id() + "/passkeys").then().statusCode(204);
        given().auth().oauth2(admin).delete("/admin/users/" + e.user().id() + "/passkeys").then().statusCode(404);
        Api.refresh(e.refresh()).then().statusCode(401);
        assertInvalidCredentials(signIn(e.authenticator()));
        given().auth().oauth2(e.accessToken()).get("/me").then().statusCode(401); // every access token of the user ended
        String user = Api.accessToken(Api.loggedIn(TestUsers.create()));
        given().auth().oauth2(user).delete("/admin/users/" + e.user().id() + "/passkeys").then().statusCode(403);
    }
}
