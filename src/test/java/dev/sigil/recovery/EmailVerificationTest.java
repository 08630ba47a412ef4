package dev.sigil.recovery;

import com.nimbusds.jwt.SignedJWT;
import dev.sigil.support.Api;
import dev.sigil.support.MailProfile;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestSmtp;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** #26: email verification (at registration, on request) and email change, mails through real SMTP (GreenMail). */
@QuarkusTest
@TestProfile(MailProfile.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class EmailVerificationTest {

    @BeforeAll
    static void smtp() {
        TestSmtp.start();
    }

    private static boolean verified(TestUser user) {
        return TestUsers.count("select count(*) from sigil.users where id = ? and email_verified", user.id()) == 1;
    }

    private static String email(TestUser user) {
        return Api.me(Api.accessToken(Api.loggedIn(user))).jsonPath().getString("email");
    }

    @Test
    void registrationWithAnEmailSendsAVerificationMailWhoseLinkWorksOnce() throws Exception {
        String email = TestSmtp.address("signup");
        String username = TestUsers.uniqueName("signup");
        Response created = given().header("X-Forwarded-For", Mails.address()).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", "correct horse battery", "email", email)).post("/users");
        created.then().statusCode(201).body("email_verified", equalTo(false));
        MimeMessage mail = TestSmtp.await(email, 1).get(0);
        assertThat(mail.getSubject()).isEqualTo("Confirm your email address");
        String token = TestSmtp.token(mail);
        assertThat(TestSmtp.raw(mail).lines().map(String::strip)).contains(Api.issuer() + "/account/verify-email?token=" + token);

        Mails.verify(token).then().statusCode(204);
        Mails.verify(token).then().statusCode(400).body("code", equalTo("invalid_verification_token"));
        Response login = Api.login(username, "correct horse battery");
        assertThat(SignedJWT.parse(Api.accessToken(login)).getJWTClaimsSet().getBooleanClaim("email_verified")).isTrue();
    }

    @Test
    void aVerificationMailOnRequestVerifiesTheCurrentAddress() {
        String email = TestSmtp.address("request");
        TestUser user = TestUsers.create(TestUsers.uniqueName("verify"), "correct horse battery", email, true, "{}");
        String access = Api.accessToken(Api.loggedIn(user));
        given().auth().oauth2(access).header("X-Forwarded-For", Mails.address()).post("/me/email/verification").then().statusCode(202);
        String token = TestSmtp.token(TestSmtp.await(email, 1).get(0));
        assertThat(verified(user)).isFalse();
        Mails.verify(token).then().statusCode(204);
        assertThat(verified(user)).isTrue();
        Mails.verify("B".repeat(43)).then().statusCode(400).body("code", equalTo("invalid_verification_token"));
    }

    @Test
    void anAccountWithoutAnAddressHasNothingToVerify() {
        TestUser user = TestUsers.create();
        given().auth().oauth2(Api.accessToken(Api.loggedIn(user))).header("X-Forwarded-For", Mails.address())
                .post("/me/email/verification").then().statusCode(400).body("code", equalTo("validation_failed"));
    }

    @Test
    void anEmailChangeNeedsThePasswordAndTakesEffectOnlyOnceTheNewAddressIsVerified() throws Exception {
        String old = TestSmtp.address("old");
        String next = TestSmtp.address("new");
        TestUser user = TestUsers.create(TestUsers.uniqueName("change"), "correct horse battery", old, true, "{}");
        String access = Api.accessToken(Api.loggedIn(user));
        // A reset link mailed to the old address before the change.
        Mails.requestReset(old, Mails.address()).then().statusCode(202);
        String resetToken = TestSmtp.token(TestSmtp.await(old, 1).get(0));

        given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("email", next, "password", "not the password"))
                .put("/me/email").then().statusCode(403).body("code", equalTo("invalid_current_password"));
        given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("email", "nope", "password", user.password()))
                .put("/me/email").then().statusCode(400).body("code", equalTo("validation_failed"));
        given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("email", next, "password", user.password()))
                .put("/me/email").then().statusCode(202);

        MimeMessage notice = TestSmtp.await(old, 2).get(1);
        assertThat(notice.getSubject()).isEqualTo("Your email address is being changed");
        assertThat(TestSmtp.raw(notice)).contains(next).doesNotContain("token=");
        String token = TestSmtp.token(TestSmtp.await(next, 1).get(0));
        assertThat(email(user)).isEqualTo(old); // not before it is verified

        Mails.verify(token).then().statusCode(204);
        assertThat(email(user)).isEqualTo(next);
        assertThat(verified(user)).isTrue();
        // The reset link that went to the old address no longer works.
        Mails.confirm(resetToken, "quiet harbour lantern", null, Mails.address()).then().statusCode(400)
                .body("code", equalTo("invalid_reset_token"));
    }
}
