package dev.sigil.recovery;

import dev.sigil.support.MailProfile;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestSmtp;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * #26: opening a mailed link consumes nothing. A corporate mail scanner fetches every link (GET and HEAD, without
 * cookies, from its own address) before the person clicks; the token must still work afterwards.
 */
@QuarkusTest
@TestProfile(MailProfile.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class LinkScannerTest {

    /** The demo page's CSP, which Sigil's own account pages share. */
    static final String PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    @BeforeAll
    static void smtp() {
        TestSmtp.start();
    }

    private static void scan(String path, String token) {
        for (String method : new String[] {"GET", "HEAD"}) {
            Response r = given().header("X-Forwarded-For", "192.0.2.77").header("User-Agent", "SafeLinks-Scanner/1.0")
                    .queryParam("token", token).request(method, path);
            r.then().statusCode(200).contentType("text/html; charset=utf-8")
                    .header("Content-Security-Policy", PAGE_CSP).header("Cache-Control", "no-store")
                    .header("Referrer-Policy", "no-referrer");
            assertThat(r.asString()).doesNotContain(token);
            assertThat(r.getHeader("Set-Cookie")).isNull();
        }
    }

    @Test
    void aScannersGetAndHeadOfTheResetLinkLeaveTheTokenUsable() {
        String email = TestSmtp.address("scan");
        TestUsers.create(TestUsers.uniqueName("scan"), "correct horse battery", email, true, "{}");
        Mails.requestReset(email, Mails.address()).then().statusCode(202);
        String token = TestSmtp.token(TestSmtp.await(email, 1).get(0));

        scan("/account/reset-password", token);
        assertThat(given().get("/account/reset-password").asString()).contains("account.js").contains("Choose a new password");
        given().get("/account/account.js").then().statusCode(200).header("Content-Security-Policy", PAGE_CSP);

        Mails.confirm(token, "quiet harbour lantern", null, Mails.address()).then().statusCode(204);
    }

    @Test
    void aScannersGetAndHeadOfTheVerificationLinkLeaveTheTokenUsable() {
        String email = TestSmtp.address("scanv");
        TestUsers.TestUser user = TestUsers.create(TestUsers.uniqueName("scanv"), "correct horse battery", email, true, "{}");
        given().auth().oauth2(dev.sigil.support.Api.accessToken(dev.sigil.support.Api.loggedIn(user)))
                .header("X-Forwarded-For", Mails.address()).post("/me/email/verification").then().statusCode(202);
        String token = TestSmtp.token(TestSmtp.await(email, 1).get(0));

        scan("/account/verify-email", token);
        assertThat(TestUsers.count("select count(*) from sigil.users where id = ? and email_verified", user.id())).isZero();

        Mails.verify(token).then().statusCode(204);
    }

    @Test
    void openApiDescribesTheRecoveryEndpointsAndPages() {
        var doc = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertThat(doc.getMap("paths.'/password-reset'.post.responses").keySet()).contains("202", "400", "429", "503");
        assertThat(doc.getMap("paths.'/password-reset/confirm'.post.responses").keySet()).contains("204", "400", "403", "429");
        assertThat(doc.getMap("paths.'/email/verify'.post.responses").keySet()).contains("204", "400");
        assertThat(doc.getMap("paths.'/me/email/verification'.post.responses").keySet()).contains("202", "400", "429");
        assertThat(doc.getMap("paths.'/me/email'.put.responses").keySet()).contains("202", "400", "403", "429");
        assertThat(doc.getMap("paths.'/account/reset-password'.get.responses").keySet()).contains("200");
        assertThat(doc.getMap("paths.'/account/verify-email'.get.responses").keySet()).contains("200");
    }
}
