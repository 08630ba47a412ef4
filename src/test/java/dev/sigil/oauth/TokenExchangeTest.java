package dev.sigil.oauth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sigil.key.SigningKey;
import dev.sigil.support.Api;
import dev.sigil.support.AuditLines;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.PrivateKey;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Token exchange (RFC 8693) over HTTP against the real PostgreSQL and Redis: delegation that keeps the subject and
 * its session, nests {@code act} per hop up to the cap, only narrows scopes and audiences, and refuses every token
 * that does not work any more, is not Sigil's, or is no access token.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class TokenExchangeTest {

    static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String ACCESS = "urn:ietf:params:oauth:token-type:access_token";

    @RegisterExtension
    final AuditLines audit = new AuditLines();

    private String adminToken;

    private RequestSpecification admin() {
        if (adminToken == null) {
            adminToken = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        }
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON);
    }

    record Registered(String id, String secret) {
    }

    /** A client for {@code audience}, which may exchange {@code subjects} and pass on {@code passable}. */
    private Registered client(List<String> audience, List<String> subjects, List<String> passable) {
        String id = "tx-" + UUID.randomUUID().toString().substring(0, 12);
        Map<String, Object> body = new HashMap<>(Map.of("client_id", id, "scopes", List.of("own.read"),
                "default_scopes", List.of("own.read"), "audience", audience));
        body.put("token_exchange", Map.of("subjects", subjects, "scopes", passable));
        Response r = admin().body(body).post("/admin/clients");
        r.then().statusCode(201);
        return new Registered(id, r.jsonPath().getString("client_secret"));
    }

    private Registered userExchanger(String... audience) {
        return client(List.of(audience), List.of("user"), List.of("orders.read", "orders.write"));
    }

    static Response exchange(Registered c, String subject, Map<String, String> extra) {
        RequestSpecification s = given().auth().preemptive().basic(c.id(), c.secret()).contentType(ContentType.URLENC)
                .formParam("grant_type", GRANT).formParam("subject_token", subject)
                .formParam("subject_token_type", ACCESS);
        extra.forEach(s::formParam);
        return s.post("/oauth2/token");
    }

    static String exchanged(Registered c, String subject, Map<String, String> extra) {
        Response r = exchange(c, subject, extra);
        r.then().statusCode(200);
        return r.jsonPath().getString("access_token");
    }

    private static Response introspect(Registered caller, String token) {
        return given().auth().preemptive().basic(caller.id(), caller.secret()).contentType(ContentType.URLENC)
                .formParam("token", token).post("/oauth2/introspect");
    }

    private static void oauthError(Response r, int status, String error) {
        r.then().statusCode(status).contentType("application/json").header("Cache-Control", "no-store")
                .body("error", equalTo(error)).body("error_description", notNullValue());
    }

    static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    private static String userToken(String... roles) {
        return Api.accessToken(Api.loggedIn(TestUsers.create(roles)));
    }

    // ---- the grant -------------------------------------------------------------------------------------

    @Test
    void aUsersTokenIsExchangedForOneThatKeepsSubjectAndSessionAndNamesTheClientAsActor() throws Exception {
        Registered a = userExchanger("inventory-api");
        String subject = userToken("reader");
        Response r = exchange(a, subject, Map.of("audience", "inventory-api", "scope", "orders.read",
                "requested_token_type", ACCESS));
        r.then().statusCode(200).header("Cache-Control", "no-store")
                .body("issued_token_type", equalTo(ACCESS)).body("token_type", equalTo("Bearer"))
                .body("refresh_token", nullValue()).body("scope", equalTo("orders.read"));
        JWTClaimsSet in = claims(subject);
        JWTClaimsSet out = claims(r.jsonPath().getString("access_token"));
        assertThat(out.getSubject()).isEqualTo(in.getSubject());
        assertThat(out.getStringClaim("sid")).isEqualTo(in.getStringClaim("sid"));
        assertThat(out.getClaim("uv")).isEqualTo(in.getClaim("uv"));
        assertThat(out.getStringListClaim("groups")).containsExactlyInAnyOrderElementsOf(in.getStringListClaim("groups"));
        assertThat(out.getAudience()).containsExactly("inventory-api");
        assertThat(out.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", a.id()));
        assertThat(out.getClaim("client_id")).isNull();
        assertThat(out.getStringClaim("scope")).isEqualTo("orders.read");
        assertThat(out.getExpirationTime()).isBeforeOrEqualTo(in.getExpirationTime());
        long lifetime = r.jsonPath().getLong("expires_in");
        assertThat(lifetime).isBetween(1L, 300L); // sigil.token-exchange.lifetime, shorter than the user's 15 minutes
        assertThat(audit.lines()).anySatisfy(l -> assertThat(l).contains("event=token_exchange", "outcome=ok",
                "client_id=" + a.id(), "subject=" + in.getSubject(), "actors=" + a.id(), "aud=inventory-api", "scope=orders.read"));
    }

    @Test
    void anExchangedTokenIsNotTheUsersOwnAtSigil() {
        Registered a = userExchanger("inventory-api");
        String token = exchanged(a, userToken(), Map.of());
        Api.me(token).then().statusCode(401);
        given().auth().oauth2(token).get("/sessions").then().statusCode(401);
    }

    @Test
    void anExchangedTokenIsExchangedAgainWithNestedActUpToTheDepthCap() throws Exception {
        Registered a = userExchanger("inventory-api");
        Registered b = client(List.of("shipping-api"), List.of("user"), List.of("orders.read"));
        Registered c = client(List.of("billing-api"), List.of("user"), List.of("orders.read"));
        String first = exchanged(a, userToken(), Map.of("scope", "orders.read orders.write"));
        String second = exchanged(b, first, Map.of("scope", "orders.read"));
        assertThat(claims(second).getJSONObjectClaim("act")).isEqualTo(Map.of("sub", b.id(), "act", Map.of("sub", a.id())));
        assertThat(claims(second).getSubject()).isEqualTo(claims(first).getSubject());
        introspect(b, second).then().statusCode(200).body("active", equalTo(true))
                .body("act.sub", equalTo(b.id())).body("act.act.sub", equalTo(a.id())).body("aud", equalTo("shipping-api"));
        // sigil.token-exchange.max-depth = 2: a third hop is refused
        oauthError(exchange(c, second, Map.of()), 400, "invalid_request");
        assertThat(audit.lines()).anySatisfy(l -> assertThat(l).contains("event=token_exchange", "outcome=refused",
                "client_id=" + c.id(), "error=invalid_request"));
    }

    @Test
    void revokingTheSessionEndsEveryTokenExchangedFromItAtOnce() {
        Registered a = userExchanger("inventory-api");
        Registered b = client(List.of("shipping-api"), List.of("user"), List.of());
        Response login = Api.loggedIn(TestUsers.create());
        String subject = Api.accessToken(login);
        String first = exchanged(a, subject, Map.of());
        String second = exchanged(b, first, Map.of());
        introspect(a, first).then().body("active", equalTo(true));
        introspect(b, second).then().body("active", equalTo(true));
        given().auth().oauth2(subject).delete("/sessions").then().statusCode(204);
        introspect(a, first).then().statusCode(200).body("active", equalTo(false)).body("size()", equalTo(1));
        introspect(b, second).then().statusCode(200).body("active", equalTo(false)).body("size()", equalTo(1));
        oauthError(exchange(b, first, Map.of()), 400, "invalid_request");
        oauthError(exchange(a, subject, Map.of()), 400, "invalid_request");
    }

    @Test
    void takingTheActorsPermissionOrAudienceAwayReachesItsExchangedTokensAtOnce() {
        Registered a = userExchanger("inventory-api", "stock-api");
        String token = exchanged(a, userToken(), Map.of("audience", "stock-api", "scope", "orders.read"));
        introspect(a, token).then().body("active", equalTo(true)).body("scope", equalTo("orders.read"));
        admin().body(Map.of("token_exchange", Map.of("subjects", List.of("user"), "scopes", List.of("orders.write"))))
                .patch("/admin/clients/" + a.id()).then().statusCode(200);
        introspect(a, token).then().body("active", equalTo(true)).body("scope", nullValue());
        admin().body(Map.of("audience", List.of("inventory-api"))).patch("/admin/clients/" + a.id()).then().statusCode(200);
        introspect(a, token).then().body("active", equalTo(false));
        String other = exchanged(a, userToken(), Map.of());
        admin().body(Map.of("token_exchange", Map.of("subjects", List.of("client")))).patch("/admin/clients/" + a.id()).then().statusCode(200);
        introspect(a, other).then().body("active", equalTo(false));
    }

    @Test
    void aClientsTokenIsExchangedWhenThePolicyAllowsClientSubjects() throws Exception {
        Registered subjectClient = client(List.of("orders-api"), List.of(), List.of());
        String own = given().auth().preemptive().basic(subjectClient.id(), subjectClient.secret()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").post("/oauth2/token").jsonPath().getString("access_token");
        Registered users = userExchanger("inventory-api");
        oauthError(exchange(users, own, Map.of()), 400, "unauthorized_client");
        Registered a = client(List.of("inventory-api"), List.of("client"), List.of("own.read"));
        oauthError(exchange(a, userToken(), Map.of()), 400, "unauthorized_client");
        String token = exchanged(a, own, Map.of());
        JWTClaimsSet out = claims(token);
        assertThat(out.getSubject()).isEqualTo(subjectClient.id());
        assertThat(out.getStringClaim("client_id")).isEqualTo(subjectClient.id());
        assertThat(out.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", a.id()));
        assertThat(out.getStringClaim("scope")).isEqualTo("own.read");
        introspect(a, token).then().body("active", equalTo(true)).body("scope", equalTo("own.read"));
        // the actor holds the token, so it may revoke it (RFC 7009), as the subject's own client may
        String revoked = exchanged(a, own, Map.of());
        given().auth().preemptive().basic(a.id(), a.secret()).contentType(ContentType.URLENC).formParam("token", revoked)
                .post("/oauth2/revoke").then().statusCode(200);
        introspect(a, revoked).then().body("active", equalTo(false));
        introspect(a, token).then().body("active", equalTo(true));
        // the subject client disabled: its exchanged token is gone too
        admin().body(Map.of("enabled", false)).patch("/admin/clients/" + subjectClient.id()).then().statusCode(200);
        introspect(a, token).then().body("active", equalTo(false));
    }

    // ---- abuse ---------------------------------------------------------------------------------------

    @Test
    void widerScopesAreInvalidScope() {
        Registered a = userExchanger("inventory-api");
        Registered b = client(List.of("shipping-api"), List.of("user"), List.of("orders.read", "orders.write"));
        oauthError(exchange(a, userToken(), Map.of("scope", "orders.delete")), 400, "invalid_scope"); // may not pass it on
        String narrow = exchanged(a, userToken(), Map.of("scope", "orders.read"));
        oauthError(exchange(b, narrow, Map.of("scope", "orders.write")), 400, "invalid_scope"); // the subject lacks it
        oauthError(exchange(a, userToken(), Map.of("scope", "bad\"scope")), 400, "invalid_scope");
    }

    @Test
    void anAudienceTheClientMayNotRequestIsInvalidTargetAndNeverTheUserAudience() {
        Registered a = userExchanger("inventory-api");
        String subject = userToken();
        oauthError(exchange(a, subject, Map.of("audience", "billing-api")), 400, "invalid_target");
        oauthError(exchange(a, subject, Map.of("audience", "sigil")), 400, "invalid_target");
        oauthError(exchange(a, subject, Map.of("resource", "https://billing.example.com/")), 400, "invalid_target");
    }

    @Test
    void expiredRevokedForeignOrMalformedSubjectTokensAreInvalidRequest() throws Exception {
        Registered a = userExchanger("inventory-api");
        String subject = userToken();
        JWTClaimsSet real = claims(subject);
        SigningKey active = TestKeys.active();
        long now = System.currentTimeMillis();
        String expired = sign(new JWTClaimsSet.Builder(real).issueTime(new Date(now - 3_600_000))
                .expirationTime(new Date(now - 600_000)).build(), active.kid(), active.privateKey());
        oauthError(exchange(a, expired, Map.of()), 400, "invalid_request");
        String foreignIssuer = sign(new JWTClaimsSet.Builder(real).issuer("https://evil.example.com").build(), active.kid(), active.privateKey());
        oauthError(exchange(a, foreignIssuer, Map.of()), 400, "invalid_request");
        String foreignKey = sign(real, active.kid(), new RSAKeyGenerator(2048).generate().toPrivateKey());
        oauthError(exchange(a, foreignKey, Map.of()), 400, "invalid_request");
        for (String garbage : List.of("garbage", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")) {
            oauthError(exchange(a, garbage, Map.of()), 400, "invalid_request");
        }
        given().contentType(ContentType.URLENC).formParam("token", subject).post("/oauth2/revoke").then().statusCode(200);
        oauthError(exchange(a, subject, Map.of()), 400, "invalid_request");
    }

    @Test
    void aSubjectThatExpiresAfterAnExchangeIsRefusedAtTheNextOneThoughItsVerificationIsCached() throws Exception {
        Registered a = userExchanger("inventory-api");
        JWTClaimsSet real = claims(userToken());
        SigningKey active = TestKeys.active();
        long now = System.currentTimeMillis();
        String shortLived = sign(new JWTClaimsSet.Builder(real).expirationTime(new Date(now + 3_000)).build(),
                active.kid(), active.privateKey());
        Response first = exchange(a, shortLived, Map.of());
        first.then().statusCode(200);
        assertThat(claims(first.jsonPath().getString("access_token")).getExpirationTime()).isBeforeOrEqualTo(new Date(now + 3_000));
        long deadline = System.currentTimeMillis() + 60_000;
        Response later;
        do {
            Thread.sleep(250);
            later = exchange(a, shortLived, Map.of());
        } while (later.statusCode() == 200 && System.currentTimeMillis() < deadline);
        oauthError(later, 400, "invalid_request");
    }

    @Test
    void aRefreshTokenIsNoSubject() {
        Registered a = userExchanger("inventory-api");
        String refresh = Api.refreshCookie(Api.loggedIn(TestUsers.create()));
        assertThat(refresh).isNotNull();
        oauthError(exchange(a, refresh, Map.of()), 400, "invalid_request");
        oauthError(given().auth().preemptive().basic(a.id(), a.secret()).contentType(ContentType.URLENC)
                .formParam("grant_type", GRANT).formParam("subject_token", refresh)
                .formParam("subject_token_type", "urn:ietf:params:oauth:token-type:refresh_token").post("/oauth2/token"), 400, "invalid_request");
        oauthError(exchange(a, userToken(), Map.of("requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token")),
                400, "invalid_request");
    }

    @Test
    void aPublicOrUnauthenticatedClientIsInvalidClientAndAClientWithoutPolicyIsUnauthorized() {
        Registered a = userExchanger("inventory-api");
        String subject = userToken();
        Response noAuth = given().contentType(ContentType.URLENC).formParam("grant_type", GRANT).formParam("client_id", a.id())
                .formParam("subject_token", subject).formParam("subject_token_type", ACCESS).post("/oauth2/token");
        oauthError(noAuth, 401, "invalid_client");
        assertThat(noAuth.header("WWW-Authenticate")).startsWith("Basic");
        oauthError(exchange(new Registered(a.id(), "wrong"), subject, Map.of()), 401, "invalid_client");
        Registered none = client(List.of("inventory-api"), List.of(), List.of());
        oauthError(exchange(none, subject, Map.of()), 400, "unauthorized_client");
    }

    @Test
    void missingOrUnsupportedParametersAreInvalidRequest() {
        Registered a = userExchanger("inventory-api");
        String subject = userToken();
        oauthError(given().auth().preemptive().basic(a.id(), a.secret()).contentType(ContentType.URLENC)
                .formParam("grant_type", GRANT).formParam("subject_token", subject).post("/oauth2/token"), 400, "invalid_request");
        oauthError(exchange(a, subject, Map.of("actor_token", subject)), 400, "invalid_request");
        oauthError(exchange(a, subject, Map.of("actor_token", subject, "actor_token_type", ACCESS)), 400, "invalid_request");
        String own = given().auth().preemptive().basic(a.id(), a.secret()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").post("/oauth2/token").jsonPath().getString("access_token");
        exchange(a, subject, Map.of("actor_token", own, "actor_token_type", ACCESS)).then().statusCode(200);
    }

    @Test
    void thePolicyIsShownAndValidatedByTheAdminApi() {
        Registered a = userExchanger("inventory-api");
        admin().get("/admin/clients/" + a.id()).then().statusCode(200)
                .body("token_exchange.subjects", equalTo(List.of("user")))
                .body("token_exchange.scopes", equalTo(List.of("orders.read", "orders.write")));
        admin().body(Map.of("token_exchange", Map.of("subjects", List.of("admin")))).patch("/admin/clients/" + a.id())
                .then().statusCode(400).body("code", equalTo("validation_failed"));
        admin().body(Map.of("token_exchange", Map.of("subjects", List.of("user", "user")))).patch("/admin/clients/" + a.id())
                .then().statusCode(400);
        for (String bad : List.of("{\"token_exchange\": {\"subjects\": [null]}}", "{\"token_exchange\": {\"scopes\": [null]}}",
                "{\"token_exchange\": {\"subjects\": [\"user\"], \"audiences\": [\"x\"]}}", "{\"token_exchange\": {\"scopes\": [\"a b\"]}}")) {
            admin().body(bad).patch("/admin/clients/" + a.id()).then().statusCode(400).body("code", equalTo("validation_failed"));
        }
        admin().get("/admin/clients/" + a.id()).then().body("token_exchange.subjects", equalTo(List.of("user")));
        Registered plain = client(List.of("x-api"), List.of(), List.of());
        admin().get("/admin/clients/" + plain.id()).then().body("token_exchange.subjects", equalTo(List.of()));
    }

    static String sign(JWTClaimsSet claims, String kid, PrivateKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
