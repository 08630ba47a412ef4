package dev.sigil.recovery;

import dev.sigil.support.MailProfile;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestSmtp;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** #26: an app that hosts its own reset page: mails link there, and Sigil serves no page of its own. */
@QuarkusTest
@TestProfile(AppPagesTest.OwnPages.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class AppPagesTest {

    public static class OwnPages extends MailProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("sigil.recovery.reset-url", "https://app.example.com/account/reset?lang=en");
            config.put("sigil.recovery.pages-enabled", "false");
            return config;
        }
    }

    @BeforeAll
    static void smtp() {
        TestSmtp.start();
    }

    @Test
    void theResetMailLinksToTheAppsPageAndSigilsPageIsGone() {
        String email = TestSmtp.address("app");
        TestUsers.create(TestUsers.uniqueName("app"), "correct horse battery", email, true, "{}");
        Mails.requestReset(email, Mails.address()).then().statusCode(202);
        var mail = TestSmtp.await(email, 1).get(0);
        String token = TestSmtp.token(mail);
        assertThat(TestSmtp.raw(mail).lines().map(String::strip)).contains("https://app.example.com/account/reset?lang=en&token=" + token);
        given().get("/account/reset-password").then().statusCode(404);
        Mails.confirm(token, "quiet harbour lantern", null, Mails.address()).then().statusCode(204);
    }
}
