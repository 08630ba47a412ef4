package dev.sigil.user;

import dev.sigil.support.AccountRulesProfile;
import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * No removal of the admin role, disable or delete may leave no enabled admin. The admin role here is
 * unique to this run (AccountRulesProfile), so "no admin" is decided among the users these tests made.
 */
@QuarkusTest
@TestProfile(AccountRulesProfile.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class LastAdminTest {

    static final String ROLE = AccountRulesProfile.ADMIN_ROLE;

    /** Every test starts with no holder of this run's admin role. */
    @BeforeEach
    void noAdmins() throws Exception {
        clearAdmins();
    }

    private static void clearAdmins() throws Exception {
        try (Connection c = DriverManager.getConnection(TestUsers.jdbc(), "postgres", "");
             PreparedStatement ps = c.prepareStatement("update sigil.users set roles = array_remove(roles, ?) where ? = any(roles)")) {
            ps.setString(1, ROLE);
            ps.setString(2, ROLE);
            ps.executeUpdate();
        }
    }

    private static long enabledAdmins() {
        return TestUsers.count("select count(*) from sigil.users where ? = any(roles) and enabled", ROLE);
    }

    private static RequestSpecification as(TestUser admin) {
        return given().auth().oauth2(Api.accessToken(Api.loggedIn(admin))).contentType(ContentType.JSON);
    }

    private static void conflict(Response r) {
        r.then().statusCode(409).contentType("application/problem+json").body("code", equalTo("conflict"));
    }

    @Test
    void theLastEnabledAdminCannotDropItsRoleDisableOrDeleteItself() {
        TestUser a = TestUsers.create(ROLE, "reader");
        RequestSpecification self = as(a);

        conflict(self.body(Map.of("roles", List.of("reader"))).patch("/admin/users/" + a.id()));
        conflict(self.body(Map.of("enabled", false)).patch("/admin/users/" + a.id()));
        conflict(self.delete("/admin/users/" + a.id()));

        assertThat(enabledAdmins()).isEqualTo(1);
        self.get("/admin/users/" + a.id()).then().statusCode(200).body("roles", equalTo(List.of(ROLE, "reader")))
                .body("enabled", equalTo(true));
    }

    @Test
    void aDisabledAdminDoesNotCountAsARemainingAdmin() {
        TestUser a = TestUsers.create(ROLE);
        TestUsers.create(TestUsers.uniqueName("dormant"), "correct horse battery", null, false, "{}", ROLE);

        conflict(as(a).body(Map.of("roles", List.of())).patch("/admin/users/" + a.id()));
        assertThat(enabledAdmins()).isEqualTo(1);
    }

    @Test
    void anAdminMayBeRemovedWhileAnotherEnabledAdminRemains() {
        TestUser a = TestUsers.create(ROLE);
        TestUser b = TestUsers.create(ROLE);
        TestUser c = TestUsers.create(ROLE);
        RequestSpecification byA = as(a);

        byA.body(Map.of("roles", List.of())).patch("/admin/users/" + b.id()).then().statusCode(200);
        byA.body(Map.of("enabled", false)).patch("/admin/users/" + c.id()).then().statusCode(200);
        conflict(byA.delete("/admin/users/" + a.id()));
        // Users without the role, and changes that keep it, are not affected (the last one ends A's token: it changed A).
        TestUser plain = TestUsers.create("reader");
        byA.body(Map.of("enabled", false)).patch("/admin/users/" + plain.id()).then().statusCode(200);
        byA.body(Map.of("roles", List.of(ROLE, "writer"))).patch("/admin/users/" + a.id()).then().statusCode(200);
        assertThat(enabledAdmins()).isEqualTo(1);
    }

    /** Two admins remove each other at the same moment: they must not both succeed. */
    private static void race(Function<TestUser, Function<RequestSpecification, Response>> removal) throws Exception {
        for (int round = 0; round < 8; round++) {
            clearAdmins();
            TestUser a = TestUsers.create(ROLE);
            TestUser b = TestUsers.create(ROLE);
            RequestSpecification byA = as(a);
            RequestSpecification byB = as(b);
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<Response> aRemovesB = CompletableFuture.supplyAsync(() -> {
                await(start);
                return removal.apply(b).apply(byA);
            });
            CompletableFuture<Response> bRemovesA = CompletableFuture.supplyAsync(() -> {
                await(start);
                return removal.apply(a).apply(byB);
            });
            boolean one = aRemovesB.get(30, TimeUnit.SECONDS).statusCode() / 100 == 2;
            boolean other = bRemovesA.get(30, TimeUnit.SECONDS).statusCode() / 100 == 2;
            // Exactly one wins; the loser gets 409, or 401 when the winner's change already ended its token.
            assertThat(one ^ other).as("round " + round + ": exactly one succeeds").isTrue();
            assertThat(enabledAdmins()).as("round " + round).isEqualTo(1);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void twoAdminsDemotingEachOtherAtOnceLeaveOneAdmin() throws Exception {
        race(target -> spec -> spec.body(Map.of("roles", List.of())).patch("/admin/users/" + target.id()));
    }

    @Test
    void twoAdminsDisablingEachOtherAtOnceLeaveOneAdmin() throws Exception {
        race(target -> spec -> spec.body(Map.of("enabled", false)).patch("/admin/users/" + target.id()));
    }

    @Test
    void twoAdminsDeletingEachOtherAtOnceLeaveOneAdmin() throws Exception {
        race(target -> spec -> spec.delete("/admin/users/" + target.id()));
    }
}
