package dev.sigil.mfa;

import dev.sigil.crypto.Digests;
import dev.sigil.support.AccountRulesProfile;
import dev.sigil.support.Api;
import dev.sigil.support.SettableTotpClock;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * #23 "MFA-gated roles fall to the password": with sigil.mfa.enrolment-ticket-required (AccountRulesProfile),
 * the password alone enrols no authenticator; an admin's one-time ticket, bound to the user, does.
 */
@QuarkusTest
@TestProfile(AccountRulesProfile.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class EnrolmentTicketTest {

    @Inject
    SettableTotpClock clock;

    private Instant t0;

    @BeforeEach
    void freeze() {
        t0 = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 30 * 30);
        clock.set(t0);
    }

    private static Response start(String access, Map<String, String> body) {
        return given().auth().oauth2(access).contentType(ContentType.JSON).body(body).post("/me/mfa/totp");
    }

    private static Response ticket(String adminAccess, UUID user) {
        return given().auth().oauth2(adminAccess).post("/admin/users/" + user + "/mfa/enrolment-ticket");
    }

    @Test
    void thePasswordAloneEnrolsNothingAndNeverReachesAGatedRole() throws Exception {
        TestUser user = TestUsers.create("mfa-guarded", "reader");
        String access = Api.accessToken(Api.loggedIn(user));
        start(access, Map.of("password", user.password())).then().statusCode(403).contentType("application/problem+json")
                .body("code", equalTo("invalid_enrolment_ticket"));
        start(access, Map.of("password", user.password(), "enrolment_ticket", "A".repeat(43))).then().statusCode(403)
                .body("code", equalTo("invalid_enrolment_ticket"));
        assertThat(TestUsers.count("select count(*) from sigil.mfa_totp where user_id = ?", user.id())).isZero();
        assertThat(MfaTest.claims(Api.accessToken(Api.refresh(Api.refreshCookie(Api.loggedIn(user))))).getStringListClaim("groups"))
                .containsExactly("reader");
    }

    @Test
    void anAdminTicketEnrolsItsUserOnceAndIsStoredOnlyAsADigest() throws Exception {
        TestUser admin = TestUsers.create(AccountRulesProfile.ADMIN_ROLE);
        String adminAccess = Api.accessToken(Api.loggedIn(admin));
        TestUser user = TestUsers.create("mfa-guarded", "reader");
        TestUser other = TestUsers.create();
        Response login = Api.loggedIn(user);
        String access = Api.accessToken(login);

        // Only admins issue tickets, only for existing users.
        ticket(access, user.id()).then().statusCode(403);
        ticket(adminAccess, UUID.randomUUID()).then().statusCode(404).body("code", equalTo("not_found"));
        ticket(adminAccess, user.id()).then().statusCode(200); // replaced by the next one

        Response issued = ticket(adminAccess, user.id());
        issued.then().statusCode(200).header("Cache-Control", "no-store").header("Pragma", "no-cache")
                .body("expires_in", equalTo(3600));
        String t = issued.jsonPath().getString("enrolment_ticket");
        assertThat(t).matches("[A-Za-z0-9_-]{43}");
        String key = "sigil:{" + user.id() + "}:mfa:ticket";
        assertThat(TestRedis.call("GET", key)).isEqualTo(Digests.sha256Url(t.getBytes(StandardCharsets.US_ASCII)));
        assertThat((Long) TestRedis.call("PTTL", key)).isPositive().isLessThanOrEqualTo(3_600_000);

        // Bound to its user; a wrong password spends no ticket.
        start(Api.accessToken(Api.loggedIn(other)), Map.of("password", other.password(), "enrolment_ticket", t))
                .then().statusCode(403).body("code", equalTo("invalid_enrolment_ticket"));
        start(access, Map.of("password", "not the password", "enrolment_ticket", t)).then().statusCode(403)
                .body("code", equalTo("invalid_current_password"));

        Response started = start(access, Map.of("password", user.password(), "enrolment_ticket", t));
        started.then().statusCode(200).header("Cache-Control", "no-store");
        assertThat(TestRedis.call("EXISTS", key)).isEqualTo(0L);
        // Single use: restarting the enrolment needs another ticket.
        start(access, Map.of("password", user.password(), "enrolment_ticket", t)).then().statusCode(403)
                .body("code", equalTo("invalid_enrolment_ticket"));

        IndependentTotp app = new IndependentTotp(started.jsonPath().getString("otpauth_uri"));
        given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("code", app.at(t0))).post("/me/mfa/totp/confirm")
                .then().statusCode(200);
        given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("code", app.at(t0.plusSeconds(30)))).post("/me/mfa/verify")
                .then().statusCode(204);
        // The gated role, after an enrolment that an admin allowed.
        assertThat(MfaTest.claims(Api.accessToken(Api.refresh(Api.refreshCookie(login)))).getStringListClaim("groups"))
                .containsExactlyInAnyOrder("reader", "mfa-guarded");
    }
}
