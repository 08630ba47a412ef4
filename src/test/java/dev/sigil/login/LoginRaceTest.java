package dev.sigil.login;

import com.nimbusds.jwt.SignedJWT;
import dev.sigil.support.AccountRulesProfile;
import dev.sigil.support.Api;
import dev.sigil.support.PausingSessionWriteHook.Pause;
import dev.sigil.support.PausingSessionWriteHook;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers.TestUser;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A login that read the user just before an admin disables, deletes or resets it must not end with a
 * working session. Each test pauses the login between reading the user and creating the session
 * (PausingSessionWriteHook), makes the change while it waits, then lets it go on.
 */
@QuarkusTest
@TestProfile(AccountRulesProfile.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class LoginRaceTest {

    static final String GOOD = "amber kettle distant";

    private String adminToken;

    private RequestSpecification admin() {
        if (adminToken == null) {
            adminToken = Api.accessToken(Api.loggedIn(TestUsers.create(AccountRulesProfile.ADMIN_ROLE)));
        }
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON);
    }

    /** Logs {@code user} in, and runs {@code change} while that login waits just before creating its session. */
    private Response loginAcross(TestUser user, Consumer<TestUser> change) throws Exception {
        admin(); // its own login must not be the one that pauses
        Pause pause = PausingSessionWriteHook.pauseNext(user.id());
        CompletableFuture<Response> login = CompletableFuture.supplyAsync(() -> Api.login(user));
        pause.awaitReached();
        change.accept(user);
        pause.release();
        return login.get(30, TimeUnit.SECONDS);
    }

    private static long liveSessions(UUID user) {
        return (Long) TestRedis.call("ZCARD", TestRedis.prefix(user) + "sessions");
    }

    /** Whatever the login answered, nothing it handed out works, and Redis holds no session for it. */
    private static void nothingWorks(Response login, UUID user) {
        if (login.statusCode() == 200) {
            String token = Api.accessToken(login);
            Api.me(token).then().statusCode(401);
            given().auth().oauth2(token).get("/sessions").then().statusCode(401);
            Api.refresh(Api.refreshCookie(login)).then().statusCode(401);
        }
        login.then().statusCode(401).body("code", equalTo("invalid_credentials"));
        assertThat(liveSessions(user)).isZero();
    }

    @Test
    void aLoginThatReadTheUserBeforeItWasDisabledGetsNoSession() throws Exception {
        TestUser user = TestUsers.create();
        Response login = loginAcross(user, u -> admin().body(Map.of("enabled", false)).patch("/admin/users/" + u.id())
                .then().statusCode(200));
        nothingWorks(login, user.id());
    }

    @Test
    void aLoginThatReadTheUserBeforeItsPasswordWasResetGetsNoSession() throws Exception {
        TestUser user = TestUsers.create();
        Response login = loginAcross(user, u -> admin().body(Map.of("password", GOOD)).post("/admin/users/" + u.id() + "/password")
                .then().statusCode(204));
        nothingWorks(login, user.id());
        Api.login(user.username(), GOOD).then().statusCode(200);
    }

    @Test
    void aLoginThatReadTheUserBeforeItWasDeletedGetsNoSession() throws Exception {
        TestUser user = TestUsers.create();
        Response login = loginAcross(user, u -> admin().delete("/admin/users/" + u.id()).then().statusCode(204));
        nothingWorks(login, user.id());
    }

    @Test
    void aLoginAcrossARoleChangeReadsTheUserAgainAndCarriesTheNewRoles() throws Exception {
        TestUser user = TestUsers.create("reader");
        Response login = loginAcross(user, u -> admin().body(Map.of("roles", List.of("writer"))).patch("/admin/users/" + u.id())
                .then().statusCode(200));
        login.then().statusCode(200);
        assertThat(SignedJWT.parse(Api.accessToken(login)).getJWTClaimsSet().getStringListClaim("groups")).containsExactly("writer");
        Api.me(Api.accessToken(login)).then().statusCode(200);
        assertThat(liveSessions(user.id())).isEqualTo(1);
    }

    @Test
    void aLoginWhoseUserChangesAgainWhileItRetriesIsAskedToRetryLater() throws Exception {
        TestUser user = TestUsers.create("reader");
        admin();
        Pause first = PausingSessionWriteHook.pauseNext(user.id());
        Pause second = PausingSessionWriteHook.pauseNext(user.id());
        CompletableFuture<Response> login = CompletableFuture.supplyAsync(() -> Api.login(user));
        first.awaitReached();
        admin().body(Map.of("claims", Map.of("tier", 1))).patch("/admin/users/" + user.id()).then().statusCode(200);
        first.release();
        second.awaitReached();
        admin().body(Map.of("claims", Map.of("tier", 2))).patch("/admin/users/" + user.id()).then().statusCode(200);
        second.release();

        login.get(30, TimeUnit.SECONDS).then().statusCode(503).header("Retry-After", "1").body("code", equalTo("unavailable"));
        assertThat(liveSessions(user.id())).isZero();
        Api.login(user).then().statusCode(200);
    }

    @Test
    void aRefreshAcrossARoleRemovalReadsTheUserAgainAndCarriesTheNewRoles() throws Exception {
        TestUser user = TestUsers.create("reader", "editor");
        Response session = Api.loggedIn(user);
        admin();
        Pause pause = PausingSessionWriteHook.pauseNext(user.id());
        CompletableFuture<Response> refresh = CompletableFuture.supplyAsync(() -> Api.refresh(Api.refreshCookie(session)));
        pause.awaitReached();
        admin().body(Map.of("roles", List.of("reader"))).patch("/admin/users/" + user.id()).then().statusCode(200);
        pause.release();

        Response r = refresh.get(30, TimeUnit.SECONDS).then().statusCode(200).extract().response();
        // Not a token with the removed role, which services that verify with the JWKS alone would accept until it expires.
        assertThat(SignedJWT.parse(Api.accessToken(r)).getJWTClaimsSet().getStringListClaim("groups")).containsExactly("reader");
        Api.me(Api.accessToken(r)).then().statusCode(200);
        Api.refresh(Api.refreshCookie(r)).then().statusCode(200);
    }

    @Test
    void aRefreshAcrossADisableGetsNothing() throws Exception {
        TestUser user = TestUsers.create();
        Response session = Api.loggedIn(user);
        admin();
        Pause pause = PausingSessionWriteHook.pauseNext(user.id());
        CompletableFuture<Response> refresh = CompletableFuture.supplyAsync(() -> Api.refresh(Api.refreshCookie(session)));
        pause.awaitReached();
        admin().body(Map.of("enabled", false)).patch("/admin/users/" + user.id()).then().statusCode(200);
        pause.release();

        refresh.get(30, TimeUnit.SECONDS).then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
        assertThat(liveSessions(user.id())).isZero();
    }

    @Test
    void aRefreshWhoseUserChangesAgainWhileItRetriesIsAskedToRetryAndKeepsItsCookie() throws Exception {
        TestUser user = TestUsers.create("reader");
        Response session = Api.loggedIn(user);
        admin();
        Pause first = PausingSessionWriteHook.pauseNext(user.id());
        Pause second = PausingSessionWriteHook.pauseNext(user.id());
        CompletableFuture<Response> refresh = CompletableFuture.supplyAsync(() -> Api.refresh(Api.refreshCookie(session)));
        first.awaitReached();
        admin().body(Map.of("claims", Map.of("tier", 1))).patch("/admin/users/" + user.id()).then().statusCode(200);
        first.release();
        second.awaitReached();
        admin().body(Map.of("claims", Map.of("tier", 2))).patch("/admin/users/" + user.id()).then().statusCode(200);
        second.release();

        Response r = refresh.get(30, TimeUnit.SECONDS);
        r.then().statusCode(503).header("Retry-After", "1").body("code", equalTo("unavailable"));
        assertThat(r.getHeaders().getValues("Set-Cookie")).isEmpty();
        // Nothing rotated: the same refresh token works once the account holds still.
        Api.refresh(Api.refreshCookie(session)).then().statusCode(200);
    }
}
