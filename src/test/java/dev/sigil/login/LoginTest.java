package dev.sigil.login;

import com.nimbusds.jwt.SignedJWT;
import dev.sigil.password.Argon2id;
import dev.sigil.support.Api;
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
import org.junit.jupiter.api.Test;

import java.util.Date;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class LoginTest {

    @Test
    void loginReturnsABearerAccessTokenThatIsNotCached() {
        TestUser user = TestUsers.create("reader");
        Api.login(user).then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(900))
                .body("refresh_token", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void accessTokenCarriesTheContractHeaderAndClaims() throws Exception {
        TestUser user = TestUsers.create(TestUsers.uniqueName("claims"), "correct horse battery", "c@example.com", true,
                "{\"organization\":\"acme\",\"tier\":3}", "reader", "writer");
        SignedJWT jwt = SignedJWT.parse(Api.accessToken(Api.loggedIn(user)));

        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("JWT");
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(TestKeys.active().kid());

        var c = jwt.getJWTClaimsSet();
        assertThat(c.getIssuer()).isEqualTo(Api.issuer());
        assertThat(c.getSubject()).isEqualTo(user.id().toString());
        assertThat(c.getAudience()).containsExactly("sigil");
        assertThat(c.getIssueTime()).isCloseTo(new Date(), 5000);
        assertThat(c.getExpirationTime().getTime() - c.getIssueTime().getTime()).isEqualTo(900_000L);
        assertThat(c.getJWTID()).isNotBlank();
        assertThat(c.getStringClaim("sid")).isNotBlank();
        assertThat(c.getStringClaim("upn")).isEqualTo(user.username());
        assertThat(c.getStringClaim("email")).isEqualTo("c@example.com");
        assertThat(c.getStringListClaim("groups")).containsExactlyInAnyOrder("reader", "writer");
        assertThat(c.getStringClaim("organization")).isEqualTo("acme");
        assertThat(c.getLongClaim("tier")).isEqualTo(3L);
    }

    @Test
    void eachLoginGetsAUniqueJtiAndSession() throws Exception {
        TestUser user = TestUsers.create();
        var a = SignedJWT.parse(Api.accessToken(Api.loggedIn(user))).getJWTClaimsSet();
        var b = SignedJWT.parse(Api.accessToken(Api.loggedIn(user))).getJWTClaimsSet();
        assertThat(a.getJWTID()).isNotEqualTo(b.getJWTID());
        assertThat(a.getStringClaim("sid")).isNotEqualTo(b.getStringClaim("sid"));
    }

    @Test
    void refreshCookieHasEveryRequiredAttribute() {
        TestUser user = TestUsers.create();
        String setCookie = Api.loggedIn(user).getHeader("Set-Cookie");
        List<String> parts = List.of(setCookie.split(";\\s*"));
        assertThat(parts.get(0)).startsWith("__Secure-refresh_token=");
        assertThat(parts.get(0).substring("__Secure-refresh_token=".length())).hasSize(114);
        // Attribute names are case-insensitive (RFC 6265 section 5.2); Netty writes "HTTPOnly".
        assertThat(parts.stream().map(p -> p.toLowerCase(java.util.Locale.ROOT)).toList())
                .contains("path=/refresh-token", "httponly", "secure", "samesite=strict", "max-age=604800");
        assertThat(setCookie.toLowerCase()).doesNotContain("domain=");
    }

    @Test
    void loginStoresOnlyAHashOfTheRefreshTokenWithATtl() throws Exception {
        TestUser user = TestUsers.create();
        Response r = Api.loggedIn(user);
        String token = Api.refreshCookie(r);
        String sid = SignedJWT.parse(Api.accessToken(r)).getJWTClaimsSet().getStringClaim("sid");
        String p = TestRedis.prefix(user.id());

        Object session = TestRedis.call("GET", p + "s:" + sid);
        assertThat(TestRedis.session(p + "s:" + sid)).isNotEmpty().doesNotContainValue(token);
        assertThat(session.toString()).doesNotContain(token.substring(40));
        long ttl = (Long) TestRedis.call("PTTL", p + "s:" + sid);
        assertThat(ttl).isBetween(604_000_000L, 604_800_000L);
        assertThat((Long) TestRedis.call("ZCARD", p + "sessions")).isEqualTo(1L);
        assertThat((Long) TestRedis.call("PTTL", p + "sessions")).isPositive();
    }

    @Test
    void unknownUserWrongPasswordAndDisabledUserGetTheSameAnswer() {
        TestUser disabled = TestUsers.create(TestUsers.uniqueName("disabled"), "correct horse battery", null, false, "{}");
        TestUser known = TestUsers.create();

        Response unknown = Api.login(TestUsers.uniqueName("nobody"), "correct horse battery");
        Response wrong = Api.login(known.username(), "not the password");
        Response off = Api.login(disabled);

        for (Response r : List.of(unknown, wrong, off)) {
            r.then().statusCode(401).contentType("application/problem+json")
                    .body("code", equalTo("invalid_credentials"))
                    .header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        }
        assertThat(wrong.asString()).isEqualTo(unknown.asString()).isEqualTo(off.asString());
        assertThat(TestRedis.call("EXISTS", TestRedis.prefix(disabled.id()) + "sessions")).isEqualTo(0L);
    }

    @Test
    void usernameIsCaseInsensitive() {
        TestUser user = TestUsers.create(TestUsers.uniqueName("MixedCase"), "correct horse battery", null, true, "{}");
        Api.login(user.username().toUpperCase(), user.password()).then().statusCode(200);
    }

    @Test
    void malformedBodiesAreRefusedWithTheirOwnStatusAndWriteNothing() {
        TestUser user = TestUsers.create();
        String name = user.username();
        Map<String, Integer> cases = new java.util.LinkedHashMap<>();
        cases.put("{", 400);
        cases.put("", 400);
        cases.put("[]", 400);
        cases.put("{\"username\":\"" + name + "\"}", 400);
        cases.put("{\"password\":\"correct horse battery\"}", 400);
        cases.put("{\"username\":123,\"password\":\"correct horse battery\"}", 400);
        cases.put("{\"username\":\"" + name + "\",\"password\":[\"correct horse battery\"]}", 400);
        cases.put("{\"username\":\"" + name + "\",\"password\":null}", 400);
        cases.put("{\"username\":\"" + "u".repeat(65) + "\",\"password\":\"correct horse battery\"}", 400);
        cases.put("{\"username\":\"" + name + "\",\"password\":\"" + "p".repeat(1025) + "\"}", 400);
        cases.put("{\"username\":\"" + name + "\",\"password\":\"correct horse battery\",\"admin\":true}", 400);
        cases.put("{\"username\":\"" + name + "\",\"username\":\"x\",\"password\":\"correct horse battery\"}", 400);
        cases.forEach((body, status) -> given().contentType(ContentType.JSON).body(body).post("/login").then()
                .statusCode(status).contentType("application/problem+json").body("code", equalTo("validation_failed"))
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue()));

        given().contentType(ContentType.TEXT).body("{\"username\":\"" + name + "\",\"password\":\"correct horse battery\"}")
                .post("/login").then().statusCode(415).contentType("application/problem+json")
                .body("code", equalTo("unsupported_media_type"));
        given().contentType(ContentType.JSON).body("{\"username\":\"" + name + "\",\"password\":\"" + "p".repeat(17_000) + "\"}")
                .post("/login").then().statusCode(413).contentType("application/problem+json")
                .body("code", equalTo("payload_too_large"));

        assertThat(TestRedis.call("EXISTS", TestRedis.prefix(user.id()) + "sessions")).isEqualTo(0L);
    }

    @Test
    void errorsNeverEchoTheInput() {
        String secret = "hunter2-secret-value";
        given().contentType(ContentType.JSON).body("{\"username\":\"a\",\"password\":" + "{\"x\":\"" + secret + "\"}}")
                .post("/login").then().statusCode(400)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(secret)));
        given().contentType(ContentType.JSON).body("{\"username\":\"a\",\"password\":\"" + secret + "\"")
                .post("/login").then().statusCode(400)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(secret)));
    }

    @Test
    void crossSiteLoginIsRefused() {
        TestUser user = TestUsers.create();
        Map<String, String> body = Map.of("username", user.username(), "password", user.password());
        // A foreign Origin is refused by the CORS policy before the resource, with the same problem code.
        given().header("Origin", "https://evil.example").contentType(ContentType.JSON).body(body)
                .post("/login").then().statusCode(403).body("code", equalTo("cross_site_request"))
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        given().header("Sec-Fetch-Site", "cross-site").contentType(ContentType.JSON).body(body)
                .post("/login").then().statusCode(403).body("code", equalTo("cross_site_request"));
        given().header("Referer", "https://evil.example/page").contentType(ContentType.JSON).body(body)
                .post("/login").then().statusCode(403).body("code", equalTo("cross_site_request"));
        given().header("Origin", Api.issuer()).contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "password", user.password()))
                .post("/login").then().statusCode(200);
    }

    @Test
    void securityHeadersAreOnEveryResponse() {
        given().get("/.well-known/jwks.json").then()
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", org.hamcrest.Matchers.containsString("default-src 'none'"));
        Api.login(TestUsers.uniqueName("headers"), "y").then().statusCode(401).header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void aHashWithWeakerParametersIsReplacedAtASuccessfulLogin() {
        TestUser user = TestUsers.create();
        String weak = new dev.sigil.password.Argon2id(19456, 1, 1).hash(user.password());
        TestUsers.setPasswordHash(user.id(), weak);

        Api.loggedIn(user);

        String upgraded = TestUsers.passwordHash(user.id());
        assertThat(upgraded).isNotEqualTo(weak).contains("t=2");
        Api.loggedIn(user);
    }

    /**
     * Issue 30, finding 5: with sigil.users locked from another connection, logins waited for the lock and
     * held every pooled PostgreSQL connection. The lock timeout (2 s) ends the wait: 503 with Retry-After
     * while the test still holds the lock (without a bound the login would wait as long as the lock), and
     * the login works again once the lock is gone.
     */
    @Test
    void aLoginBehindALockedUsersTableAnswers503WhileTheLockIsHeld() throws Exception {
        TestUser user = TestUsers.create();
        try (java.sql.Connection locker = java.sql.DriverManager.getConnection(TestUsers.jdbc(), "postgres", "")) {
            locker.setAutoCommit(false);
            try (java.sql.Statement st = locker.createStatement()) {
                st.execute("LOCK TABLE sigil.users IN ACCESS EXCLUSIVE MODE");
            }
            long start = System.nanoTime();
            Response r = Api.login(user);
            long ms = (System.nanoTime() - start) / 1_000_000;
            locker.rollback();
            r.then().statusCode(503).contentType("application/problem+json").body("code", equalTo("unavailable"))
                    .header("Retry-After", equalTo("5"));
            // lock_timeout 2 s per statement; the bound only has to tell it from waiting for the lock for ever,
            // so it leaves room for a busy machine.
            assertThat(ms).as("answered after %d ms", ms).isLessThan(20_000);
        }
        Api.login(user).then().statusCode(200);
    }

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    /**
     * Issue 30, findings 5 and 7: with every pooled PostgreSQL connection taken (as by logins behind a locked
     * sigil.users), a request that needs one waited Vert.x' 30 s before it failed, logged as "backing service
     * unavailable: NoStackTraceThrowable: Timeout". sigil.postgresql.acquire-timeout (2 s) bounds the wait:
     * 503 with Retry-After, logged as postgresql, and the same request works once a connection is free.
     */
    @Test
    void aRequestWaitingForAPooledConnectionAnswers503BeforeThePoolsOwnTimeout() {
        TestUser user = TestUsers.create();
        String token = Api.accessToken(Api.loggedIn(user));
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                lines.add(r.getMessage() + " " + java.util.Arrays.toString(r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(dev.sigil.error.ProblemMapper.class.getName());
        List<io.vertx.mutiny.sqlclient.SqlConnection> held = new java.util.ArrayList<>();
        logger.addHandler(handler);
        try {
            for (int i = 0; i < 20; i++) { // quarkus.datasource.reactive.max-size
                held.add(pool.getConnection().await().atMost(java.time.Duration.ofSeconds(10)));
            }
            long start = System.nanoTime();
            Response r = Api.me(token);
            long ms = (System.nanoTime() - start) / 1_000_000;
            r.then().statusCode(503).contentType("application/problem+json").body("code", equalTo("unavailable"))
                    .header("Retry-After", equalTo("5"));
            // acquire-timeout 2 s; the bound tells it from Vert.x' 30 s with room for a busy machine.
            assertThat(ms).as("answered after %d ms", ms).isLessThan(20_000);
            // Logged as postgresql (at most one line per 10 s, so an earlier test's line may hold this one back).
            assertThat(lines).noneMatch(l -> l.contains("backing service"));
        } finally {
            logger.removeHandler(handler);
            held.forEach(c -> c.closeAndAwait());
        }
        Api.me(token).then().statusCode(200);
    }
}
