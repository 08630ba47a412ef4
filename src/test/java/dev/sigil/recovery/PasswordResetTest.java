package dev.sigil.recovery;

import dev.sigil.crypto.Digests;
import dev.sigil.mfa.IndependentTotp;
import dev.sigil.support.Api;
import dev.sigil.support.MailProfile;
import dev.sigil.support.Poll;
import dev.sigil.support.SettableTotpClock;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestSmtp;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** #26: POST /password-reset and /password-reset/confirm, mails through real SMTP (GreenMail). */
@QuarkusTest
@TestProfile(MailProfile.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class PasswordResetTest {

    static final String NEW = "quiet harbour lantern";

    @Inject
    SettableTotpClock clock;

    @BeforeAll
    static void smtp() {
        TestSmtp.start();
    }

    private static TestUser userWithEmail(String email) {
        return TestUsers.create(TestUsers.uniqueName("reset"), "correct horse battery", email, true, "{}");
    }

    /** Requests a reset and returns the token of the mail that arrives as the {@code n}th to {@code email}. */
    private static String mailedToken(String email, int n) {
        Mails.requestReset(email, Mails.address()).then().statusCode(202);
        return TestSmtp.token(TestSmtp.await(email, n).get(n - 1));
    }

    private static Response login(TestUser user, String password, String from) {
        return given().header("X-Forwarded-For", from).contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "password", password)).post("/login");
    }

    @Test
    void theMailLinksToTheConfiguredPageNeverToTheRequestsHost() throws Exception {
        String email = TestSmtp.address("link");
        userWithEmail(email);
        given().header("X-Forwarded-For", Mails.address()).header("X-Forwarded-Host", "evil.example")
                .header("Host", "evil.example").contentType(ContentType.JSON).body(Map.of("email", email))
                .post("/password-reset").then().statusCode(202);

        MimeMessage mail = TestSmtp.await(email, 1).get(0);
        String raw = TestSmtp.raw(mail);
        String token = TestSmtp.token(mail);
        assertThat(raw).doesNotContain("evil.example");
        // The link is on a line of its own in the text part, built on sigil.issuer.
        assertThat(raw.lines().map(String::strip)).contains(Api.issuer() + "/account/reset-password?token=" + token);
        assertThat(raw).contains("text/plain").contains("text/html");
        assertThat(mail.getSubject()).isEqualTo("Reset your password");
        assertThat(mail.getMessageID()).matches("<[0-9a-f]{32}@localhost>");
        // Only the token's digest is stored.
        assertThat(TestUsers.count("select count(*) from sigil.email_tokens where token_hash = ?",
                Digests.sha256Url(token.getBytes(StandardCharsets.US_ASCII)))).isEqualTo(1);
        assertThat(TestUsers.count("select count(*) from sigil.email_tokens where token_hash = ?", token)).isZero();
    }

    @Test
    void knownAndUnknownAddressesGetTheSameAnswer() {
        String known = TestSmtp.address("known");
        userWithEmail(known);
        String unknown = TestSmtp.address("nobody");
        Response a = Mails.requestReset(known, Mails.address());
        Response b = Mails.requestReset(unknown, Mails.address());
        assertThat(a.statusCode()).isEqualTo(202).isEqualTo(b.statusCode());
        assertThat(a.asString()).isEqualTo(b.asString()).isEmpty();
        assertThat(names(a)).isEqualTo(names(b));
        TestSmtp.await(known, 1);
        // The unknown address's stand-in work (after the answer) writes no mail.
        assertThat(TestUsers.count("select count(*) from sigil.mail_outbox where recipient = ?", unknown)).isZero();
        assertThat(TestSmtp.to(unknown)).isEmpty();
    }

    private static List<String> names(Response r) {
        return r.headers().asList().stream().map(h -> h.getName().toLowerCase(Locale.ROOT)).filter(n -> !n.equals("date")).sorted().toList();
    }

    @Test
    void confirmingSetsThePasswordOnceEndsEverySessionAndTheLockout() {
        String email = TestSmtp.address("confirm");
        TestUser user = userWithEmail(email);
        Response session = Api.loggedIn(user);
        String from = Mails.address();
        lockOut(user, from);
        login(user, user.password(), from).then().statusCode(429);

        String token = mailedToken(email, 1);
        Mails.confirm(token, NEW, null, from).then().statusCode(204);

        Api.refresh(Api.refreshCookie(session)).then().statusCode(401);
        Api.me(Api.accessToken(session)).then().statusCode(401).body("code", equalTo("invalid_token"));
        login(user, NEW, from).then().statusCode(200);
        login(user, user.password(), Mails.address()).then().statusCode(401).body("code", equalTo("invalid_credentials"));
        // Single use, and a used token answers like an unknown one.
        Mails.confirm(token, "another fine password", null, from).then().statusCode(400).body("code", equalTo("invalid_reset_token"));
        Mails.confirm("A".repeat(43), NEW, null, from).then().statusCode(400).body("code", equalTo("invalid_reset_token"));
        Mails.confirm("not a token", NEW, null, from).then().statusCode(400).body("code", equalTo("invalid_reset_token"));
    }

    /** Puts (username, address) into a long lockout, as many failed logins would. */
    private static void lockOut(TestUser user, String from) {
        String tag = Digests.sha256Url(user.username().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)).substring(0, 22);
        String key = "sigil:rl:{" + tag + "}:fail:" + from;
        TestRedis.call("HSET", key, "n", "12", "until", Long.toString(System.currentTimeMillis() + 600_000));
        TestRedis.call("PEXPIRE", key, "600000");
    }

    @Test
    void aPasswordThePolicyRefusesIs400AndKeepsTheToken() {
        String email = TestSmtp.address("policy");
        userWithEmail(email);
        String token = mailedToken(email, 1);
        Mails.confirm(token, "password", null, Mails.address()).then().statusCode(400).body("code", equalTo("validation_failed"));
        Mails.confirm(token, NEW, null, Mails.address()).then().statusCode(204);
    }

    @Test
    void aNewerRequestEndsTheOlderToken() {
        String email = TestSmtp.address("newer");
        userWithEmail(email);
        String first = mailedToken(email, 1);
        String second = mailedToken(email, 2);
        Mails.confirm(first, NEW, null, Mails.address()).then().statusCode(400).body("code", equalTo("invalid_reset_token"));
        Mails.confirm(second, NEW, null, Mails.address()).then().statusCode(204);
    }

    @Test
    void anExpiredTokenIsRefused() {
        String email = TestSmtp.address("expired");
        TestUser user = userWithEmail(email);
        String token = mailedToken(email, 1);
        Mails.sql("update sigil.email_tokens set expires_at = now() - interval '1 second' where user_id = ?", user.id());
        Mails.confirm(token, NEW, null, Mails.address()).then().statusCode(400).body("code", equalTo("invalid_reset_token"));
        Api.login(user).then().statusCode(200);
    }

    @Test
    void aPasswordChangeEndsTheToken() {
        String email = TestSmtp.address("pwchange");
        TestUser user = userWithEmail(email);
        String token = mailedToken(email, 1);
        given().auth().oauth2(Api.accessToken(Api.loggedIn(user))).contentType(ContentType.JSON)
                .body(Map.of("current_password", user.password(), "new_password", "velvet canyon morning"))
                .put("/me/password").then().statusCode(204);
        Mails.confirm(token, NEW, null, Mails.address()).then().statusCode(400).body("code", equalTo("invalid_reset_token"));
    }

    @Test
    void aChangeOfTheUsersVersionEndsTheToken() {
        String email = TestSmtp.address("version");
        TestUser user = userWithEmail(email);
        String token = mailedToken(email, 1);
        TestRedis.call("INCR", "sigil:{" + user.id() + "}:ver");
        Mails.confirm(token, NEW, null, Mails.address()).then().statusCode(400).body("code", equalTo("invalid_reset_token"));
    }

    @Test
    void anEnrolledUserMustAlsoGiveACodeCountedLikeAtLogin() {
        String email = TestSmtp.address("mfa");
        TestUser user = userWithEmail(email);
        Instant t0 = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 30 * 30);
        clock.set(t0);
        String access = Api.accessToken(Api.loggedIn(user));
        Response started = given().auth().oauth2(access).contentType(ContentType.JSON)
                .body(Map.of("password", user.password())).post("/me/mfa/totp");
        started.then().statusCode(200);
        IndependentTotp app = new IndependentTotp(started.jsonPath().getString("otpauth_uri"));
        given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("code", app.at(t0.minusSeconds(30))))
                .post("/me/mfa/totp/confirm").then().statusCode(200);

        String token = mailedToken(email, 1);
        String from = Mails.address();
        Mails.confirm(token, NEW, null, from).then().statusCode(403).body("code", equalTo("mfa_code_required"));
        Mails.confirm(token, NEW, "000000".equals(app.at(t0)) ? "111111" : "000000", from).then().statusCode(403)
                .body("code", equalTo("mfa_code_required"));
        // Both count as wrong codes of the username from this address, as at POST /login/mfa.
        String tag = Digests.sha256Url(("otp:" + user.username().toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8)).substring(0, 22);
        assertThat(TestRedis.hash("sigil:rl:{" + tag + "}:fail:" + from)).containsEntry("n", "2");
        assertThat(TestUsers.passwordHash(user.id())).isNotNull();
        Api.login(user).then().statusCode(401).body("code", equalTo("mfa_required")); // the old password still stands

        Mails.confirm(token, NEW, app.at(t0), from).then().statusCode(204);
        login(user, NEW, Mails.address()).then().statusCode(401).body("code", equalTo("mfa_required"));
    }

    @Test
    void beyondTheHourlyAllowanceRequestsAreAnsweredAlikeAndSendNothing() {
        String email = TestSmtp.address("flood");
        TestUser user = userWithEmail(email);
        for (int i = 0; i < MailProfile.MAILS_PER_HOUR + 2; i++) {
            Mails.requestReset(email, Mails.address()).then().statusCode(202);
        }
        String counter = "sigil:rl:mailto:{" + user.id() + "}";
        Poll.until("every request reserved", Duration.ofSeconds(30), Duration.ofMillis(50),
                () -> String.valueOf(MailProfile.MAILS_PER_HOUR + 2).equals(String.valueOf(TestRedis.call("GET", counter))));
        Poll.until("the outbox empty for it", Duration.ofSeconds(30), Duration.ofMillis(50),
                () -> TestUsers.count("select count(*) from sigil.mail_outbox where recipient = ? and state = 'pending'", email) == 0);
        TestSmtp.await(email, MailProfile.MAILS_PER_HOUR);
        assertThat(TestSmtp.to(email)).hasSize(MailProfile.MAILS_PER_HOUR);
    }

    @Test
    void tooManyRequestsFromOneAddressAre429() {
        String from = Mails.address();
        for (int i = 0; i < MailProfile.PER_ADDRESS; i++) {
            Mails.requestReset(TestSmtp.address("limit"), from).then().statusCode(202);
        }
        Mails.requestReset(TestSmtp.address("limit"), from).then().statusCode(429)
                .body("code", equalTo("rate_limited")).header("Retry-After", org.hamcrest.Matchers.notNullValue());
        Mails.requestReset(TestSmtp.address("limit"), Mails.address()).then().statusCode(202);
    }

    @Test
    void aMalformedAddressIs400() {
        Mails.requestReset("not an address", Mails.address()).then().statusCode(400).body("code", equalTo("validation_failed"));
        given().contentType(ContentType.JSON).body(Map.of()).post("/password-reset").then().statusCode(400);
    }
}
