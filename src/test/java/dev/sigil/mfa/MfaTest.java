package dev.sigil.mfa;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sigil.crypto.Digests;
import dev.sigil.support.Api;
import dev.sigil.support.SettableTotpClock;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers.TestUser;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The second factor over HTTP against the real PostgreSQL and Redis; the TOTP clock is frozen per test. */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class MfaTest {

    @Inject
    SettableTotpClock clock;

    /** The frozen "now" of the server's TOTP checks; steps of this test are t0 + k * 30 s. */
    private Instant t0;

    @BeforeEach
    void freeze() {
        t0 = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 30 * 30);
        clock.set(t0);
    }

    /** An enrolled user, its authenticator and recovery codes; the enrolment used the code of step t0 - 30 s. */
    record Enrolled(TestUser user, IndependentTotp app, List<String> recoveryCodes, String uri, String accessToken, String refresh) {
    }

    private Enrolled enrol(String... roles) {
        TestUser user = TestUsers.create(roles);
        Response login = Api.loggedIn(user);
        String access = Api.accessToken(login);
        Response started = start(access, user.password());
        started.then().statusCode(200);
        String uri = started.jsonPath().getString("otpauth_uri");
        IndependentTotp app = new IndependentTotp(uri);
        Response confirmed = given().auth().oauth2(access).contentType(ContentType.JSON)
                .body(Map.of("code", app.at(t0.minusSeconds(30)))).post("/me/mfa/totp/confirm");
        confirmed.then().statusCode(200);
        return new Enrolled(user, app, confirmed.jsonPath().getList("recovery_codes", String.class), uri, access, Api.refreshCookie(login));
    }

    /** POST /me/mfa/totp with the current password, the re-authentication that adding a factor needs. */
    static Response start(String access, String password) {
        return given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("password", password)).post("/me/mfa/totp");
    }

    private static Response loginMfa(String mfaToken, String code) {
        return loginMfa(mfaToken, code, "127.0.0.1");
    }

    private static Response loginMfa(String mfaToken, String code, String address) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("mfa_token", mfaToken, "code", code)).post("/login/mfa");
    }

    private static String mfaToken(TestUser user) {
        return mfaToken(user, "127.0.0.1");
    }

    private static String mfaToken(TestUser user, String address) {
        Response r = given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "password", user.password())).post("/login");
        r.then().statusCode(401).contentType("application/problem+json").body("code", equalTo("mfa_required"));
        return r.jsonPath().getString("mfa_token");
    }

    static JWTClaimsSet claims(String jwt) {
        try {
            return SignedJWT.parse(jwt).getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static String address() {
        return "198.51.100." + (1 + (int) (Math.random() * 250)) + "";
    }

    @Test
    void enrolmentAnswersAnOtpauthUriAndAPngQrCode() {
        TestUser user = TestUsers.create();
        String access = Api.accessToken(Api.loggedIn(user));
        Response r = start(access, user.password());
        r.then().statusCode(200);
        String uri = r.jsonPath().getString("otpauth_uri");
        assertThat(uri).startsWith("otpauth://totp/Sigil:" + user.username() + "?secret=")
                .contains("&issuer=Sigil", "&algorithm=SHA1", "&digits=6", "&period=30");
        String qr = r.jsonPath().getString("qr_code");
        assertThat(qr).startsWith("data:image/png;base64,");
        byte[] png = Base64.getDecoder().decode(qr.substring("data:image/png;base64,".length()));
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        assertThat(uri).contains("secret=" + r.jsonPath().getString("secret") + "&");
    }

    @Test
    void aCodeFromAnIndependentTotpOfTheEnrolmentUriLogsInWithAmrPwdOtp() throws Exception {
        Enrolled e = enrol();
        assertThat(e.recoveryCodes()).hasSize(10).doesNotHaveDuplicates();

        // At rest: the secret is encrypted, the recovery codes are digests.
        String b32 = e.uri().replaceAll(".*secret=([A-Z2-7]+)&.*", "$1");
        try (var c = DriverManager.getConnection(TestUsers.jdbc(), "postgres", null);
             PreparedStatement ps = c.prepareStatement("select secret_encrypted, array_to_string(recovery_digests, ',') from sigil.mfa_totp where user_id = ?")) {
            ps.setObject(1, e.user().id());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).doesNotContain(b32);
                String digests = rs.getString(2);
                assertThat(digests.split(",")).hasSize(10);
                e.recoveryCodes().forEach(code -> assertThat(digests).doesNotContain(code).doesNotContain(code.replace("-", "")));
            }
        }

        Response first = given().contentType(ContentType.JSON)
                .body(Map.of("username", e.user().username(), "password", e.user().password())).post("/login");
        first.then().statusCode(401).contentType("application/problem+json").body("code", equalTo("mfa_required"))
                .body("mfa_token_expires_in", equalTo(300)).header("Cache-Control", "no-store");
        assertThat(first.getHeader("Set-Cookie")).isNull();
        assertThat(first.jsonPath().getString("access_token")).isNull();
        String token = first.jsonPath().getString("mfa_token");
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        // Stored hashed, with its 5-minute lifetime.
        String key = "sigil:mfat:" + Digests.sha256Url(token.getBytes(StandardCharsets.US_ASCII));
        assertThat(TestRedis.hash(key)).containsEntry("uid", e.user().id().toString()).containsEntry("left", "5");
        long pttl = (Long) TestRedis.call("PTTL", key);
        assertThat(pttl).isPositive().isLessThanOrEqualTo(300_000);

        Response done = loginMfa(token, e.app().at(t0));
        done.then().statusCode(200).body("token_type", equalTo("Bearer"));
        assertThat(Api.refreshCookie(done)).isNotNull();
        JWTClaimsSet claims = claims(Api.accessToken(done));
        assertThat(claims.getStringListClaim("amr")).containsExactly("pwd", "otp");
        assertThat(claims.getStringClaim("acr")).isEqualTo("aal2");
        long authTime = claims.getLongClaim("auth_time");
        assertThat(authTime).isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond() + 5);
        assertThat(TestRedis.call("EXISTS", key)).isEqualTo(0L);

        // Refresh keeps the login's values.
        Response refreshed = Api.refresh(Api.refreshCookie(done));
        refreshed.then().statusCode(200);
        JWTClaimsSet after = claims(Api.accessToken(refreshed));
        assertThat(after.getStringListClaim("amr")).containsExactly("pwd", "otp");
        assertThat(after.getStringClaim("acr")).isEqualTo("aal2");
        assertThat(after.getLongClaim("auth_time")).isEqualTo(authTime);
    }

    @Test
    void passwordOnlyTokensSayPwdAndAal1AndKeepTheirAuthTimeOnRefresh() throws Exception {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        JWTClaimsSet c = claims(Api.accessToken(login));
        assertThat(c.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(c.getStringClaim("acr")).isEqualTo("aal1");
        Response refreshed = Api.refresh(Api.refreshCookie(login));
        assertThat(claims(Api.accessToken(refreshed)).getLongClaim("auth_time")).isEqualTo(c.getLongClaim("auth_time"));
        assertThat(claims(Api.accessToken(refreshed)).getStringListClaim("amr")).containsExactly("pwd");
    }

    @Test
    void aWrongPasswordOfAnEnrolledUserLooksLikeAnyWrongPassword() {
        Enrolled e = enrol();
        TestUser plain = TestUsers.create();
        Response enrolled = Api.login(e.user().username(), "wrong password!");
        Response other = Api.login(plain.username(), "wrong password!");
        enrolled.then().statusCode(401).body("code", equalTo("invalid_credentials"));
        assertThat(enrolled.asString()).isEqualTo(other.asString());
        assertThat(enrolled.jsonPath().getString("mfa_token")).isNull();
    }

    @Test
    void aCodeIsAcceptedOncePerStep() {
        Enrolled e = enrol();
        String code = e.app().at(t0);
        loginMfa(mfaToken(e.user()), code).then().statusCode(200);
        loginMfa(mfaToken(e.user()), code).then().statusCode(401).body("code", equalTo("invalid_mfa_code"));
        // The enrolment's own step is used up too.
        loginMfa(mfaToken(e.user()), e.app().at(t0.minusSeconds(30))).then().statusCode(401).body("code", equalTo("invalid_mfa_code"));
        loginMfa(mfaToken(e.user()), e.app().at(t0.plusSeconds(30))).then().statusCode(200);
    }

    @Test
    void codesTwoStepsAwayAreRefused() {
        Enrolled e = enrol();
        loginMfa(mfaToken(e.user()), e.app().at(t0.plusSeconds(60))).then().statusCode(401).body("code", equalTo("invalid_mfa_code"));
        loginMfa(mfaToken(e.user()), e.app().at(t0.minusSeconds(60))).then().statusCode(401).body("code", equalTo("invalid_mfa_code"));
    }

    @Test
    void anMfaTokenDiesAfterFiveWrongCodes() {
        Enrolled e = enrol();
        String token = mfaToken(e.user());
        String wrong = e.app().at(t0).equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 5; i++) {
            // Each from another address, so that the lockout does not answer first.
            loginMfa(token, wrong, address()).then().statusCode(401).body("code", equalTo("invalid_mfa_code"));
        }
        loginMfa(token, e.app().at(t0), address()).then().statusCode(401).body("code", equalTo("invalid_mfa_token"));
    }

    @Test
    void anUnknownOrMalformedMfaTokenIsRefusedAndALongCodeIsBadInput() {
        loginMfa(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]), "123456").then().statusCode(401)
                .body("code", equalTo("invalid_mfa_token"));
        loginMfa("sigil:{x}:*", "123456").then().statusCode(401).body("code", equalTo("invalid_mfa_token"));
        loginMfa("abc", "1".repeat(40)).then().statusCode(400).body("code", equalTo("validation_failed"));
    }

    @Test
    void wrongCodesAreLockedOutLikeWrongPasswordsAndARightPasswordDoesNotResetThem() {
        Enrolled e = enrol();
        String from = address();
        String wrong = e.app().at(t0).equals("000000") ? "111111" : "000000";
        String token = mfaToken(e.user(), from);
        for (int i = 0; i < 5; i++) {
            loginMfa(token, wrong, from).then().statusCode(401).body("code", equalTo("invalid_mfa_code"));
        }
        // A fresh login with the right password gets a new mfa_token, but no fresh guesses.
        Response r = loginMfa(mfaToken(e.user(), from), e.app().at(t0), from);
        r.then().statusCode(429).body("code", equalTo("rate_limited"));
        assertThat(r.getHeader("Retry-After")).isNotNull();
    }

    @Test
    void aRecoveryCodeLogsInOnce() throws Exception {
        Enrolled e = enrol();
        String code = e.recoveryCodes().get(3).toUpperCase(java.util.Locale.ROOT);
        Response ok = loginMfa(mfaToken(e.user()), code);
        ok.then().statusCode(200);
        assertThat(claims(Api.accessToken(ok)).getStringListClaim("amr")).containsExactly("pwd", "otp");
        loginMfa(mfaToken(e.user()), code).then().statusCode(401).body("code", equalTo("invalid_mfa_code"));
        loginMfa(mfaToken(e.user()), e.recoveryCodes().get(4)).then().statusCode(200);
    }

    @Test
    void stepUpPutsOtpAndANewAuthTimeIntoTheSessionForEveryLaterRefresh() throws Exception {
        Enrolled e = enrol(); // its session was started with the password alone
        long before = claims(e.accessToken()).getLongClaim("auth_time");
        String wrong = e.app().at(t0).equals("000000") ? "111111" : "000000";
        given().auth().oauth2(e.accessToken()).contentType(ContentType.JSON).body(Map.of("code", wrong)).post("/me/mfa/verify")
                .then().statusCode(403).body("code", equalTo("mfa_code_rejected"));
        given().auth().oauth2(e.accessToken()).contentType(ContentType.JSON).body(Map.of("code", e.app().at(t0))).post("/me/mfa/verify")
                .then().statusCode(204);
        String sid = claims(e.accessToken()).getStringClaim("sid");
        assertThat(TestRedis.session(TestRedis.prefix(e.user().id()) + "s:" + sid)).containsEntry("amr", "pwd otp");
        Response refreshed = Api.refresh(e.refresh());
        refreshed.then().statusCode(200);
        JWTClaimsSet c = claims(Api.accessToken(refreshed));
        assertThat(c.getStringListClaim("amr")).containsExactly("pwd", "otp");
        assertThat(c.getStringClaim("acr")).isEqualTo("aal2");
        assertThat(c.getLongClaim("auth_time")).isGreaterThanOrEqualTo(before);
        // The same step cannot step up twice.
        given().auth().oauth2(e.accessToken()).contentType(ContentType.JSON).body(Map.of("code", e.app().at(t0))).post("/me/mfa/verify")
                .then().statusCode(403);
    }

    @Test
    void aRequiredRoleReachesTokensOnlyOnceTheSessionUsedASecondFactor() throws Exception {
        TestUser user = TestUsers.create("mfa-guarded", "reader");
        Response login = Api.loggedIn(user);
        JWTClaimsSet c = claims(Api.accessToken(login));
        assertThat(c.getStringListClaim("groups")).containsExactly("reader");
        assertThat(c.getBooleanClaim("mfa_enrolment_required")).isTrue();

        String access = Api.accessToken(login);
        String uri = start(access, user.password()).then().statusCode(200).extract().path("otpauth_uri");
        IndependentTotp app = new IndependentTotp(uri);
        given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("code", app.at(t0))).post("/me/mfa/totp/confirm")
                .then().statusCode(200);
        // Enrolled, but this session is still password-only.
        Response r1 = Api.refresh(Api.refreshCookie(login));
        assertThat(claims(Api.accessToken(r1)).getStringListClaim("groups")).containsExactly("reader");
        given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("code", app.at(t0.plusSeconds(30)))).post("/me/mfa/verify")
                .then().statusCode(204);
        Response r2 = Api.refresh(Api.refreshCookie(r1));
        JWTClaimsSet upgraded = claims(Api.accessToken(r2));
        assertThat(upgraded.getStringListClaim("groups")).containsExactlyInAnyOrder("reader", "mfa-guarded");
        assertThat(upgraded.getClaim("mfa_enrolment_required")).isNull();
        // A login with the code gets the role at once.
        Response full = loginMfa(mfaToken(user), app.at(t0.minusSeconds(30)));
        assertThat(claims(Api.accessToken(full)).getStringListClaim("groups")).containsExactlyInAnyOrder("reader", "mfa-guarded");
    }

    @Test
    void removalWithACodeEndsTheOtherSessionsAndKeepsThisOne() {
        Enrolled e = enrol();
        Response other = loginMfa(mfaToken(e.user()), e.app().at(t0));
        other.then().statusCode(200);
        String wrong = e.app().at(t0.plusSeconds(30)).equals("000000") ? "111111" : "000000";
        remove(e.accessToken(), Map.of("code", wrong)).then().statusCode(403).body("code", equalTo("mfa_code_rejected"));
        remove(e.accessToken(), Map.of("code", e.app().at(t0.plusSeconds(30)))).then().statusCode(204);
        Api.refresh(Api.refreshCookie(other)).then().statusCode(401);
        Api.me(Api.accessToken(other)).then().statusCode(401);
        Api.refresh(e.refresh()).then().statusCode(200);
        Api.login(e.user()).then().statusCode(200);
    }

    private static Response remove(String access, Map<String, String> body) {
        return given().auth().oauth2(access).contentType(ContentType.JSON).body(body).delete("/me/mfa/totp");
    }

    /** #23 item 1: a stolen access token alone (no password) must not enrol the thief's authenticator. */
    @Test
    void aBearerTokenAloneCannotStartAnEnrolment() {
        TestUser user = TestUsers.create();
        String access = Api.accessToken(Api.loggedIn(user));
        String from = address();
        given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of()).post("/me/mfa/totp")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("validation_failed"));
        given().auth().oauth2(access).contentType(ContentType.JSON).post("/me/mfa/totp").then().statusCode(400)
                .body("code", equalTo("validation_failed"));
        // Wrong passwords count like failed logins of the user: the fifth locks the next check, even a right one.
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(access).header("X-Forwarded-For", from).contentType(ContentType.JSON)
                    .body(Map.of("password", "not the password")).post("/me/mfa/totp")
                    .then().statusCode(403).contentType("application/problem+json").body("code", equalTo("invalid_current_password"));
        }
        given().auth().oauth2(access).header("X-Forwarded-For", from).contentType(ContentType.JSON)
                .body(Map.of("password", user.password())).post("/me/mfa/totp")
                .then().statusCode(429).body("code", equalTo("rate_limited"));
        assertThat(TestUsers.count("select count(*) from sigil.mfa_totp where user_id = ?", user.id())).isZero();
        // The owner, from another address, with the password.
        start(access, user.password()).then().statusCode(200);
    }

    /** #23 item 6: the password alone from a password-only session does not remove the factor. */
    @Test
    void removalNeedsTheFactorOrAFreshStepUpOfThisSessionNotThePassword() {
        Enrolled e = enrol();
        remove(e.accessToken(), Map.of("password", e.user().password())).then().statusCode(400)
                .body("code", equalTo("validation_failed"));
        remove(e.accessToken(), Map.of()).then().statusCode(403).contentType("application/problem+json")
                .body("code", equalTo("step_up_required"));
        mfaToken(e.user()); // still enrolled

        // A step-up of this session: its refreshed token removes the factor without a code, while the step-up is fresh.
        given().auth().oauth2(e.accessToken()).contentType(ContentType.JSON).body(Map.of("code", e.app().at(t0))).post("/me/mfa/verify")
                .then().statusCode(204);
        String steppedUp = Api.accessToken(Api.refresh(e.refresh()));
        clock.set(t0.plusSeconds(20 * 60));
        remove(steppedUp, Map.of()).then().statusCode(403).body("code", equalTo("step_up_required"));
        clock.set(t0);
        remove(steppedUp, Map.of()).then().statusCode(204);
        Api.login(e.user()).then().statusCode(200);
    }

    /** #23 item 6: after a removal no session keeps otp or a role gated on it. */
    @Test
    void removalTakesOtpAndGatedRolesFromTheSessionsThatSteppedUp() throws Exception {
        Enrolled e = enrol("mfa-guarded", "reader");
        given().auth().oauth2(e.accessToken()).contentType(ContentType.JSON).body(Map.of("code", e.app().at(t0))).post("/me/mfa/verify")
                .then().statusCode(204);
        Response upgraded = Api.refresh(e.refresh());
        String access = Api.accessToken(upgraded);
        assertThat(claims(access).getStringListClaim("groups")).contains("mfa-guarded");

        remove(access, Map.of("code", e.app().at(t0.plusSeconds(30)))).then().statusCode(204);
        // The stepped-up token is refused at once on Sigil's own checks; the session's next token has neither.
        Api.me(access).then().statusCode(401);
        Response after = Api.refresh(Api.refreshCookie(upgraded));
        after.then().statusCode(200);
        JWTClaimsSet c = claims(Api.accessToken(after));
        assertThat(c.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(c.getStringClaim("acr")).isEqualTo("aal1");
        assertThat(c.getStringListClaim("groups")).containsExactly("reader");
        assertThat(TestRedis.session(TestRedis.prefix(e.user().id()) + "s:" + c.getStringClaim("sid"))).containsEntry("amr", "pwd");
    }

    /** #23 item 7: the secret, its URI and QR image, and the recovery codes never land in a cache. */
    @Test
    void answersCarryingASecretAreNotStored() {
        TestUser user = TestUsers.create();
        String access = Api.accessToken(Api.loggedIn(user));
        Response started = start(access, user.password());
        started.then().statusCode(200).header("Cache-Control", "no-store").header("Pragma", "no-cache");
        IndependentTotp app = new IndependentTotp(started.jsonPath().getString("otpauth_uri"));
        given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("code", app.at(t0))).post("/me/mfa/totp/confirm")
                .then().statusCode(200).header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }

    @Test
    void removalWithACurrentCodeWorks() {
        Enrolled e = enrol();
        remove(e.accessToken(), Map.of("code", e.app().at(t0))).then().statusCode(204);
        Api.login(e.user()).then().statusCode(200);
    }

    @Test
    void anAdminResetRemovesTheSecondFactorAndEndsEverySessionOfTheUser() {
        Enrolled e = enrol();
        String admin = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        given().auth().oauth2(e.accessToken()).delete("/admin/users/" + e.user().id() + "/mfa").then().statusCode(403);
        given().auth().oauth2(admin).delete("/admin/users/" + e.user().id() + "/mfa").then().statusCode(204);
        Api.me(e.accessToken()).then().statusCode(401);
        Api.refresh(e.refresh()).then().statusCode(401);
        Api.login(e.user()).then().statusCode(200);
        given().auth().oauth2(admin).delete("/admin/users/" + e.user().id() + "/mfa").then().statusCode(404);
        given().auth().oauth2(admin).delete("/admin/users/" + e.user().id().toString().toUpperCase() + "/mfa").then().statusCode(404);
        given().auth().oauth2(admin).delete("/admin/users/" + UUID.randomUUID() + "/mfa").then().statusCode(404);
    }

    @Test
    void confirmingTwiceOrEnrollingAgainIsAConflict() {
        Enrolled e = enrol();
        start(e.accessToken(), e.user().password()).then().statusCode(409).body("code", equalTo("conflict"));
        given().auth().oauth2(e.accessToken()).contentType(ContentType.JSON).body(Map.of("code", e.app().at(t0)))
                .post("/me/mfa/totp/confirm").then().statusCode(409);
    }

    @Test
    void concurrentCodesOnOneMfaTokenGetExactlyFiveAttempts() throws Exception {
        Enrolled e = enrol();
        String token = mfaToken(e.user());
        String wrong = e.app().at(t0).equals("000000") ? "111111" : "000000";
        var pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String from = "203.0.113." + (i + 1);
                answers.add(pool.submit(() -> loginMfa(token, wrong, from).jsonPath().getString("code")));
            }
            List<String> codes = new java.util.ArrayList<>();
            for (var a : answers) {
                codes.add(a.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(codes).filteredOn("invalid_mfa_code"::equals).hasSize(5);
            assertThat(codes).filteredOn("invalid_mfa_token"::equals).hasSize(7);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoRightCodesAtOnceCompleteTheLoginOnce() throws Exception {
        Enrolled e = enrol();
        String token = mfaToken(e.user());
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> loginMfa(token, e.app().at(t0), "203.0.113.50").statusCode());
            var b = pool.submit(() -> loginMfa(token, e.recoveryCodes().get(0), "203.0.113.51").statusCode());
            List<Integer> statuses = List.of(a.get(30, java.util.concurrent.TimeUnit.SECONDS), b.get(30, java.util.concurrent.TimeUnit.SECONDS));
            assertThat(statuses).containsExactlyInAnyOrder(200, 401);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void openApiDescribesTheSecondFactorEndpoints() {
        var doc = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertThat(doc.getMap("paths.'/login/mfa'.post.responses").keySet()).contains("200", "400", "401", "429", "503");
        assertThat(doc.getMap("paths.'/me/mfa/totp'.post.responses").keySet()).contains("200", "400", "403", "409", "429");
        assertThat(doc.getMap("paths.'/admin/users/{id}/mfa/enrolment-ticket'.post.responses").keySet()).contains("200", "404");
        assertThat(doc.getMap("paths.'/me/mfa/totp/confirm'.post.responses").keySet()).contains("200", "403", "409", "429");
        assertThat(doc.getMap("paths.'/me/mfa/totp'.delete.responses").keySet()).contains("204", "400", "403", "429");
        assertThat(doc.getString("paths.'/me/mfa/totp'.delete.responses.'403'.description")).contains("step_up_required");
        assertThat(doc.getMap("paths.'/me/mfa/verify'.post.responses").keySet()).contains("204", "403", "429");
        assertThat(doc.getMap("paths.'/admin/users/{id}/mfa'.delete.responses").keySet()).contains("204", "404");
        assertThat(doc.getString("paths.'/login'.post.responses.'401'.description")).contains("mfa_required");
    }
}
