package dev.sigil.audit;

import dev.sigil.support.Api;
import dev.sigil.support.AuditLines;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers.TestUser;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Metrics move as the flows run, and every security event writes one audit line with its fields and no secret. */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsAndAuditTest {

    @RegisterExtension
    final AuditLines auditLines = new AuditLines();
    private final List<String> audit = auditLines.lines();

    private static double metric(String name, String labels) {
        String text = given().accept("text/plain").get("/q/metrics").asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? ([0-9.eE+-]+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            if ((m.group(1) == null ? "" : m.group(1)).contains(labels)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    private List<String> lines(String event) {
        return audit.stream().filter(l -> l.startsWith("event=" + event + " ")).toList();
    }

    /**
     * First in this class, before any login: a replica whose bootstrap admin already exists has had no
     * event yet, and must still export every counter (alerts on rate() and absent() need the series).
     */
    @Test
    @Order(1)
    void everyKnownCounterIsExportedRightAfterBootBeforeAnyEvent() {
        String text = given().accept("text/plain").get("/q/metrics").asString();
        Audit.KNOWN.forEach((event, outcomes) -> outcomes.forEach(outcome -> assertThat(text)
                .as("sigil_" + event + "_total{outcome=" + outcome + "}")
                .containsPattern("(?m)^sigil_" + event + "_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*\\} ")));
    }

    /** The client caches are Caffeine caches bound to Micrometer, registered at start like the counters. */
    @Test
    @Order(2)
    void everyClientCacheExportsItsSizeHitsAndMisses() {
        String text = given().accept("text/plain").get("/q/metrics").asString();
        for (String cache : List.of("client-records", "client-unknown-ids", "client-jwks")) {
            assertThat(text).as(cache).containsPattern("(?m)^cache_size\\{[^}]*cache=\"" + cache + "\"[^}]*\\} ")
                    .containsPattern("(?m)^cache_gets_total\\{[^}]*cache=\"" + cache + "\"[^}]*result=\"hit\"[^}]*\\} ")
                    .containsPattern("(?m)^cache_gets_total\\{[^}]*cache=\"" + cache + "\"[^}]*result=\"miss\"[^}]*\\} ")
                    .containsPattern("(?m)^cache_evictions_total\\{[^}]*cache=\"" + cache + "\"[^}]*\\} ");
        }
    }

    @Test
    void loginOutcomesAreCountedAndAudited() {
        double ok = metric("sigil_login_total", "outcome=\"ok\"");
        double bad = metric("sigil_login_total", "outcome=\"invalid_credentials\"");
        double verifications = metric("sigil_password_hashing_seconds_count", "op=\"verify\"");
        double signatures = metric("sigil_token_signing_seconds_count", "");
        TestUser user = TestUsers.create();

        Response r = Api.loggedIn(user);
        Api.login(user.username(), "wrong password").then().statusCode(401);

        assertThat(metric("sigil_login_total", "outcome=\"ok\"")).isEqualTo(ok + 1);
        assertThat(metric("sigil_login_total", "outcome=\"invalid_credentials\"")).isEqualTo(bad + 1);
        assertThat(metric("sigil_password_hashing_seconds_count", "op=\"verify\"")).isEqualTo(verifications + 2);
        assertThat(metric("sigil_token_signing_seconds_count", "")).isEqualTo(signatures + 1);
        assertThat(lines("login")).anySatisfy(l -> assertThat(l)
                .contains("outcome=ok", "user=" + user.id(), "sid=", "ip=127.0.0.1"));
        assertThat(lines("login")).anySatisfy(l -> assertThat(l).contains("outcome=invalid_credentials", "ip="));
        assertThat(String.join("\n", audit)).doesNotContain(user.password(), Api.accessToken(r), Api.refreshCookie(r));
    }

    @Test
    void refreshOutcomesLogoutsAndRevocationsAreCounted() {
        double rotated = metric("sigil_refresh_total", "outcome=\"rotated\"");
        double reused = metric("sigil_refresh_total", "outcome=\"reused\"");
        double invalid = metric("sigil_refresh_total", "outcome=\"invalid\"");
        double logouts = metric("sigil_logout_total", "");
        double revokedAll = metric("sigil_sessions_revoked_total", "outcome=\"all\"");
        double scripts = metric("sigil_redis_script_seconds_count", "script=\"session-rotate\"");
        TestUser user = TestUsers.create();

        String first = Api.refreshCookie(Api.loggedIn(user));
        String second = Api.refreshCookie(Api.refresh(first));
        String third = Api.refreshCookie(Api.refresh(second));
        Api.refresh(first).then().statusCode(401); // generation n-2: reuse, the session is revoked
        Api.refresh(third).then().statusCode(401); // ... so the newest is invalid now
        Response other = Api.loggedIn(user);
        given().cookie(Api.COOKIE, Api.refreshCookie(other)).delete("/refresh-token").then().statusCode(204);
        given().auth().oauth2(Api.accessToken(Api.loggedIn(user))).delete("/sessions").then().statusCode(204);

        assertThat(metric("sigil_refresh_total", "outcome=\"rotated\"")).isEqualTo(rotated + 2);
        assertThat(metric("sigil_refresh_total", "outcome=\"reused\"")).isEqualTo(reused + 1);
        assertThat(metric("sigil_refresh_total", "outcome=\"invalid\"")).isEqualTo(invalid + 1);
        assertThat(metric("sigil_logout_total", "")).isEqualTo(logouts + 1);
        assertThat(metric("sigil_sessions_revoked_total", "outcome=\"all\"")).isEqualTo(revokedAll + 1);
        assertThat(metric("sigil_redis_script_seconds_count", "script=\"session-rotate\"")).isEqualTo(scripts + 4);

        assertThat(lines("refresh")).singleElement().satisfies(l -> assertThat(l)
                .contains("outcome=reused", "user=" + user.id(), "sid=", "ip=", "action=session_revoked"));
        assertThat(lines("logout")).singleElement().satisfies(l -> assertThat(l).contains("user=" + user.id(), "sid=", "ip="));
        assertThat(lines("sessions_revoked")).singleElement().satisfies(l -> assertThat(l).contains("outcome=all", "user=" + user.id()));
        assertThat(String.join("\n", audit)).doesNotContain(first, second, third);
    }

    @Test
    void hashesInFlightAreAGauge() {
        assertThat(given().accept("text/plain").get("/q/metrics").asString()).containsPattern("(?m)^sigil_password_in_flight(\\{[^}]*\\})? 0\\.0$");
    }
}
