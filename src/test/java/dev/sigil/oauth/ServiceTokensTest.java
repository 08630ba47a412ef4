package dev.sigil.oauth;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** The client_credentials grant, the client admin API, introspection and revocation over HTTP, against the real PostgreSQL and Redis. */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class ServiceTokensTest {

    private String adminToken;

    private RequestSpecification admin() {
        if (adminToken == null) {
            adminToken = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        }
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON);
    }

    record Registered(String id, String secret) {
    }

    private Registered register(Map<String, Object> extra) {
        String id = "svc-" + UUID.randomUUID().toString().substring(0, 12);
        Map<String, Object> body = new HashMap<>(Map.of("client_id", id, "scopes", List.of("orders.read", "orders.write"),
                "default_scopes", List.of("orders.read"), "audience", List.of("orders-api")));
        body.putAll(extra);
        Response r = admin().body(body).post("/admin/clients");
        r.then().statusCode(201);
        return new Registered(id, r.jsonPath().getString("client_secret"));
    }

    private Registered register() {
        return register(Map.of());
    }

    /** A client that may introspect the tokens of these audiences (a resource server's identifiers). */
    private Registered introspector(String... audiences) {
        return register(Map.of("introspection_audiences", List.of(audiences)));
    }

    private static Response tokenBasic(Registered c, String secret, Map<String, String> form) {
        RequestSpecification s = given().auth().preemptive().basic(c.id(), secret).contentType(ContentType.URLENC);
        form.forEach(s::formParam);
        return s.post("/oauth2/token");
    }

    private static Response token(Registered c) {
        return tokenBasic(c, c.secret(), Map.of("grant_type", "client_credentials"));
    }

    private static String accessToken(Registered c) {
        Response r = token(c);
        r.then().statusCode(200);
        return r.jsonPath().getString("access_token");
    }

    private static Response introspect(Registered caller, String token) {
        return given().auth().preemptive().basic(caller.id(), caller.secret()).contentType(ContentType.URLENC)
                .formParam("token", token).post("/oauth2/introspect");
    }

    private static void oauthError(Response r, int status, String error) {
        r.then().statusCode(status).contentType("application/json")
                .header("Cache-Control", "no-store")
                .body("error", equalTo(error))
                .body("error_description", org.hamcrest.Matchers.notNullValue());
    }

    // ---- admin API -----------------------------------------------------------------------------------

    @Test
    void creatingAClientShowsItsSecretOnceAndStoresOnlyItsDigest() {
        Registered c = register();
        assertThat(c.secret()).matches("[A-Za-z0-9_-]{43}");
        admin().get("/admin/clients/" + c.id()).then().statusCode(200)
                .body("client_id", equalTo(c.id()))
                .body("client_secret", nullValue())
                .body("token_endpoint_auth_methods", equalTo(List.of("client_secret_basic", "client_secret_post")));
        long plain = TestUsers.count("select count(*) from sigil.clients where id = ? and (secret_digest = ? or position(? in coalesce(secret_digest, '')) > 0)",
                c.id(), c.secret(), c.secret());
        assertThat(plain).isZero();
        assertThat(TestUsers.count("select count(*) from sigil.clients where id = ? and secret_digest is not null", c.id())).isOne();
    }

    @Test
    void malformedOrUnknownClientIdsInThePathAre404() {
        admin().get("/admin/clients/NOT}valid").then().statusCode(404).body("code", equalTo("not_found"));
        admin().get("/admin/clients/no-such-client-x").then().statusCode(404);
        admin().delete("/admin/clients/no-such-client-x").then().statusCode(404);
    }

    @Test
    void invalidClientAttributesAre400AndCreateNothing() {
        String id = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("client_id", id, "scopes", List.of("a"), "default_scopes", List.of("b"))).post("/admin/clients")
                .then().statusCode(400).body("code", equalTo("validation_failed"));
        admin().body(Map.of("client_id", id, "token_lifetime", 86400)).post("/admin/clients").then().statusCode(400);
        admin().body(Map.of("client_id", id, "jwks_uri", "ftp://keys.example.com/jwks")).post("/admin/clients").then().statusCode(400);
        admin().body(Map.of("client_id", "UPPER")).post("/admin/clients").then().statusCode(400);
        assertThat(TestUsers.count("select count(*) from sigil.clients where id = ?", id)).isZero();
    }

    @Test
    void aTakenClientIdIs409() {
        Registered c = register();
        admin().body(Map.of("client_id", c.id(), "audience", List.of("orders-api"))).post("/admin/clients").then().statusCode(409)
                .body("code", equalTo("conflict"));
    }

    @Test
    void theClientAdminApiNeedsTheAdminRole() {
        String user = Api.accessToken(Api.loggedIn(TestUsers.create()));
        given().auth().oauth2(user).get("/admin/clients").then().statusCode(403);
        given().get("/admin/clients").then().statusCode(401);
    }

    // ---- token endpoint ------------------------------------------------------------------------------

    @Test
    void clientSecretBasicGetsAnRs256TokenNamingTheClientWithItsDefaultScopesAndAudience() throws Exception {
        Registered c = register(Map.of("token_lifetime", 300));
        Response r = token(c);
        r.then().statusCode(200).contentType("application/json").header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(300)).body("scope", equalTo("orders.read"))
                .body("refresh_token", nullValue());
        SignedJWT jwt = SignedJWT.parse(r.jsonPath().getString("access_token"));
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(jwt.getHeader().getType().toString()).isEqualTo("JWT");
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(c.id());
        assertThat(claims.getStringClaim("client_id")).isEqualTo(c.id());
        assertThat(claims.getStringClaim("scope")).isEqualTo("orders.read");
        assertThat(claims.getAudience()).containsExactly("orders-api");
        assertThat(claims.getIssuer()).isEqualTo(Api.issuer());
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getClaim("sid")).isNull();
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(300_000);
    }

    @Test
    void clientSecretPostWorksAndRequestedScopesMustBeAllowed() {
        Registered c = register();
        given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials").formParam("client_id", c.id())
                .formParam("client_secret", c.secret()).formParam("scope", "orders.write orders.read").post("/oauth2/token")
                .then().statusCode(200).body("scope", equalTo("orders.write orders.read"));
        oauthError(tokenBasic(c, c.secret(), Map.of("grant_type", "client_credentials", "scope", "orders.read admin")), 400, "invalid_scope");
    }

    @Test
    void aWrongSecretAnUnknownClientAndNoCredentialsAreAllInvalidClient401WithABasicChallenge() {
        Registered c = register();
        for (Response r : List.of(
                tokenBasic(c, c.secret() + "x", Map.of("grant_type", "client_credentials")),
                tokenBasic(new Registered("no-such-client-y", null), c.secret(), Map.of("grant_type", "client_credentials")),
                given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials").post("/oauth2/token"))) {
            oauthError(r, 401, "invalid_client");
            r.then().header("WWW-Authenticate", equalTo("Basic realm=\"sigil\""));
            assertThat(r.contentType()).doesNotContain("problem");
        }
    }

    @Test
    void otherGrantTypesAndMalformedRequestsAreRfc6749Errors() {
        Registered c = register();
        oauthError(tokenBasic(c, c.secret(), Map.of("grant_type", "password")), 400, "unsupported_grant_type");
        oauthError(tokenBasic(c, c.secret(), Map.of()), 400, "invalid_request");
        oauthError(given().auth().preemptive().basic(c.id(), c.secret()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("grant_type", "client_credentials").post("/oauth2/token"),
                400, "invalid_request");
        oauthError(given().auth().preemptive().basic(c.id(), c.secret()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("client_secret", c.secret()).formParam("client_id", c.id())
                .post("/oauth2/token"), 400, "invalid_request");
    }

    @Test
    void aJsonBodyOrAnotherMethodOnTheOAuthEndpointsGetsAnRfc6749ErrorNotProblemJson() {
        for (String path : List.of("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke")) {
            Response json = given().contentType(ContentType.JSON).body("{\"grant_type\":\"client_credentials\"}").post(path);
            json.then().statusCode(415).contentType("application/json").header("Cache-Control", "no-store")
                    .body("error", equalTo("invalid_request"));
            given().get(path).then().statusCode(405).contentType("application/json").body("error", equalTo("invalid_request"));
        }
        // Everywhere else it stays problem+json.
        given().contentType(ContentType.TEXT).body("x").post("/login").then().statusCode(415).contentType("application/problem+json");
    }

    @Test
    void aDisabledClientGetsNoToken() {
        Registered c = register(Map.of("enabled", false));
        oauthError(token(c), 401, "invalid_client");
    }

    private static Response tokenFrom(String address, Registered c, String secret) {
        return given().header("X-Forwarded-For", address).auth().preemptive().basic(c.id(), secret).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").post("/oauth2/token");
    }

    @Test
    void wrongSecretsFromOneAddressAreThrottledButTheRightSecretIsAlwaysServed() {
        Registered c = register();
        String address = "203.0.113." + (1 + new java.util.Random().nextInt(250));
        String failures = "sigil:rl:{c:" + c.id() + "}:fail:" + address;
        for (int i = 0; i < 5; i++) {
            tokenFrom(address, c, "wrong").then().statusCode(401);
        }
        tokenFrom(address, c, "wrong").then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("error", equalTo("rate_limited"));
        // Another service behind the same address, with its right secret, is served at once (a 256-bit secret
        // cannot be guessed, so there is nothing to protect by refusing it); and that resets the failures.
        tokenFrom(address, c, c.secret()).then().statusCode(200);
        assertThat(TestRedis.hash(failures)).isEmpty();
        tokenFrom("198.51.100.7", c, c.secret()).then().statusCode(200);
    }

    @Test
    void clientTokensAreRefusedByUserEndpoints() {
        Registered c = register();
        String token = accessToken(c);
        Api.me(token).then().statusCode(401).header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer error=\"invalid_token\""));
        given().auth().oauth2(token).get("/sessions").then().statusCode(401);
        given().auth().oauth2(token).get("/admin/clients").then().statusCode(401);
    }


    // ---- audiences (#23) -----------------------------------------------------------------------------

    @Test
    void aClientNeedsAnAudienceAndNeverTheUserAudience() {
        String id = "aud-" + UUID.randomUUID().toString().substring(0, 8);
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("client_id", id),
                Map.of("client_id", id, "audience", List.of()),
                Map.of("client_id", id, "audience", List.of("sigil")),
                Map.of("client_id", id, "audience", List.of("orders-api", "sigil")))) {
            admin().body(body).post("/admin/clients").then().statusCode(400).body("code", equalTo("validation_failed"));
        }
        assertThat(TestUsers.count("select count(*) from sigil.clients where id = ?", id)).isZero();
        Registered c = register();
        for (List<String> audience : List.of(List.<String>of(), List.of("sigil"))) {
            admin().body(Map.of("audience", audience)).patch("/admin/clients/" + c.id()).then().statusCode(400)
                    .body("code", equalTo("validation_failed"));
        }
        admin().get("/admin/clients/" + c.id()).then().body("audience", equalTo(List.of("orders-api")));
    }

    @Test
    void theTokenCarriesTheDefaultAudienceUnlessResourceOrAudiencePicksAnother() throws Exception {
        Registered c = register(Map.of("audience", List.of("https://orders.example.com", "inventory-api", "https://billing.example.com/api")));
        assertThat(audience(token(c))).containsExactly("https://orders.example.com");
        assertThat(audience(tokenBasic(c, c.secret(), Map.of("grant_type", "client_credentials", "audience", "inventory-api"))))
                .containsExactly("inventory-api");
        assertThat(audience(tokenBasic(c, c.secret(), Map.of("grant_type", "client_credentials",
                "resource", "https://billing.example.com/api")))).containsExactly("https://billing.example.com/api");
        Response both = given().auth().preemptive().basic(c.id(), c.secret()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("resource", "https://orders.example.com")
                .formParam("resource", "https://billing.example.com/api").post("/oauth2/token");
        assertThat(audience(both)).containsExactlyInAnyOrder("https://orders.example.com", "https://billing.example.com/api");
    }

    @Test
    void aResourceOrAudienceTheClientMayNotRequestIsInvalidTarget() {
        Registered c = register(Map.of("audience", List.of("https://orders.example.com", "inventory-api")));
        oauthError(tokenBasic(c, c.secret(), Map.of("grant_type", "client_credentials", "resource", "https://evil.example.com")),
                400, "invalid_target");
        oauthError(tokenBasic(c, c.secret(), Map.of("grant_type", "client_credentials", "audience", "sigil")), 400, "invalid_target");
        // RFC 8707: a resource is an absolute URI without a fragment, and one refused value refuses the request.
        oauthError(tokenBasic(c, c.secret(), Map.of("grant_type", "client_credentials", "resource", "inventory-api")), 400, "invalid_target");
        oauthError(tokenBasic(c, c.secret(), Map.of("grant_type", "client_credentials", "resource", "https://orders.example.com#x")),
                400, "invalid_target");
        oauthError(given().auth().preemptive().basic(c.id(), c.secret()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("resource", "https://orders.example.com")
                .formParam("resource", "https://evil.example.com").post("/oauth2/token"), 400, "invalid_target");
        oauthError(given().auth().preemptive().basic(c.id(), c.secret()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("resource", "https://orders.example.com")
                .formParam("audience", "inventory-api").post("/oauth2/token"), 400, "invalid_request");
    }

    private static List<String> audience(Response tokenResponse) throws Exception {
        tokenResponse.then().statusCode(200);
        return SignedJWT.parse(tokenResponse.jsonPath().getString("access_token")).getJWTClaimsSet().getAudience();
    }

    // ---- current grants at introspection (#23) -------------------------------------------------------

    @Test
    void removingAScopeReachesLiveTokensAtIntrospectionAtOnce() {
        Registered caller = introspector("orders-api");
        Registered c = register();
        String token = tokenBasic(c, c.secret(), Map.of("grant_type", "client_credentials", "scope", "orders.read orders.write"))
                .jsonPath().getString("access_token");
        introspect(caller, token).then().body("active", equalTo(true)).body("scope", equalTo("orders.read orders.write"));
        admin().body(Map.of("scopes", List.of("orders.read"))).patch("/admin/clients/" + c.id()).then().statusCode(200);
        introspect(caller, token).then().body("active", equalTo(true)).body("scope", equalTo("orders.read"));
        introspect(c, token).then().body("active", equalTo(true)).body("scope", equalTo("orders.read"));
    }

    @Test
    void removingAnAudienceMakesLiveTokensForItInactiveAtOnce() {
        Registered caller = introspector("billing-api", "orders-api");
        Registered c = register(Map.of("audience", List.of("orders-api", "billing-api")));
        String billing = tokenBasic(c, c.secret(), Map.of("grant_type", "client_credentials", "audience", "billing-api"))
                .jsonPath().getString("access_token");
        String orders = accessToken(c);
        introspect(caller, billing).then().body("active", equalTo(true)).body("aud", equalTo("billing-api"));
        admin().body(Map.of("audience", List.of("orders-api"))).patch("/admin/clients/" + c.id()).then().statusCode(200);
        introspect(caller, billing).then().body("active", equalTo(false)).body("size()", equalTo(1));
        introspect(caller, orders).then().body("active", equalTo(true));
    }

    // ---- who may introspect (#23) --------------------------------------------------------------------

    @Test
    void introspectionAnswersActiveOnlyToClientsAllowedForTheTokensAudience() {
        Registered plain = register();
        Registered ordersServer = introspector("orders-api");
        Registered userServer = introspector("sigil");
        String clientToken = accessToken(register());
        String userToken = Api.accessToken(Api.loggedIn(TestUsers.create("reader")));
        for (String t : List.of(clientToken, userToken)) {
            introspect(plain, t).then().statusCode(200).body("active", equalTo(false)).body("size()", equalTo(1));
        }
        introspect(ordersServer, clientToken).then().body("active", equalTo(true));
        introspect(ordersServer, userToken).then().body("active", equalTo(false)).body("size()", equalTo(1));
        introspect(userServer, userToken).then().body("active", equalTo(true)).body("username", org.hamcrest.Matchers.notNullValue());
        introspect(userServer, clientToken).then().body("active", equalTo(false));
        admin().get("/admin/clients/" + ordersServer.id()).then().body("introspection_audiences", equalTo(List.of("orders-api")));
    }

    @Test
    void aClientMayAlwaysIntrospectItsOwnTokens() {
        Registered c = register();
        introspect(c, accessToken(c)).then().body("active", equalTo(true)).body("client_id", equalTo(c.id()));
    }

    @Test
    void takingTheIntrospectionPermissionAwayHoldsAtOnce() {
        Registered caller = introspector("orders-api");
        String token = accessToken(register());
        introspect(caller, token).then().body("active", equalTo(true));
        admin().body(Map.of("introspection_audiences", List.of())).patch("/admin/clients/" + caller.id()).then().statusCode(200);
        introspect(caller, token).then().body("active", equalTo(false));
    }

    // ---- not-before precision (#23) ------------------------------------------------------------------

    /**
     * Whether the token's {@code iat} is the whole second of the client's not-before (kept in Redis in TokenId
     * ticks, 1/4096 ms): the case #23 found, where a not-before in whole seconds made the token inactive.
     */
    private static boolean inTheSecondOfTheNotBefore(Registered c, String token) throws Exception {
        long notBeforeTicks = Long.parseLong(String.valueOf(TestRedis.call("GET", "sigil:{c:" + c.id() + "}:nbf")));
        return notBeforeTicks / 4096 / 1000 == SignedJWT.parse(token).getJWTClaimsSet().getIssueTime().toInstant().getEpochSecond();
    }

    /** Repeated (at most 10 times) until the new token falls into the second of the disable, which it usually does at once. */
    @Test
    void aTokenIssuedAfterReEnablingIsActiveAndOneIssuedBeforeDisablingIsNot() throws Exception {
        Registered caller = introspector("orders-api");
        Registered c = register();
        String before = null;
        String after = null;
        for (int attempt = 0; attempt < 10 && (after == null || !inTheSecondOfTheNotBefore(c, after)); attempt++) {
            before = accessToken(c);
            admin().body(Map.of("enabled", false)).patch("/admin/clients/" + c.id()).then().statusCode(200);
            admin().body(Map.of("enabled", true)).patch("/admin/clients/" + c.id()).then().statusCode(200);
            after = accessToken(c);
        }
        assertThat(inTheSecondOfTheNotBefore(c, after)).as("a token issued in the second of the disable").isTrue();
        introspect(caller, before).then().body("active", equalTo(false));
        introspect(caller, after).then().body("active", equalTo(true));
    }

    /** As above, for a delete and a re-creation under the same id within one second. */
    @Test
    void aTokenOfAReCreatedClientIsActiveAndOneOfTheDeletedClientIsNot() throws Exception {
        Registered caller = introspector("orders-api");
        Registered c = register();
        String before = null;
        Registered again = c;
        String after = null;
        for (int attempt = 0; attempt < 10 && (after == null || !inTheSecondOfTheNotBefore(again, after)); attempt++) {
            before = accessToken(again);
            admin().delete("/admin/clients/" + c.id()).then().statusCode(204);
            Response created = admin().body(Map.of("client_id", c.id(), "audience", List.of("orders-api"))).post("/admin/clients");
            created.then().statusCode(201);
            again = new Registered(c.id(), created.jsonPath().getString("client_secret"));
            after = accessToken(again);
        }
        assertThat(inTheSecondOfTheNotBefore(again, after)).as("a token issued in the second of the delete").isTrue();
        introspect(caller, before).then().body("active", equalTo(false));
        introspect(caller, after).then().body("active", equalTo(true));
    }

    // ---- secret rotation -----------------------------------------------------------------------------

    @Test
    void afterRotationBothSecretsWorkDuringTheOverlap() {
        Registered c = register();
        Response r = admin().body(Map.of("overlap_seconds", 3600)).post("/admin/clients/" + c.id() + "/secret");
        r.then().statusCode(200).header("Cache-Control", "no-store");
        String fresh = r.jsonPath().getString("client_secret");
        assertThat(fresh).isNotEqualTo(c.secret());
        assertThat(r.jsonPath().getString("previous_secret_valid_until")).isNotNull();
        token(c).then().statusCode(200);
        token(new Registered(c.id(), fresh)).then().statusCode(200);
    }

    @Test
    void aRotationWithoutOverlapRetiresTheOldSecretAtOnce() {
        Registered c = register();
        String fresh = admin().body(Map.of("overlap_seconds", 0)).post("/admin/clients/" + c.id() + "/secret").jsonPath().getString("client_secret");
        oauthError(token(c), 401, "invalid_client");
        token(new Registered(c.id(), fresh)).then().statusCode(200);
    }

    @Test
    void registeringKeysRetiresTheSecretAndItsPredecessorAndAKeyClientHasNoSecretToRotate() throws Exception {
        Registered c = register();
        String fresh = admin().body(Map.of("overlap_seconds", 3600)).post("/admin/clients/" + c.id() + "/secret")
                .jsonPath().getString("client_secret");
        com.nimbusds.jose.jwk.RSAKey key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("k1").generate();
        Response r = admin().body(Map.of("jwks", new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toJSONObject()))
                .put("/admin/clients/" + c.id() + "/keys");
        r.then().statusCode(200).body("token_endpoint_auth_methods", equalTo(List.of("private_key_jwt")))
                .body("previous_secret_valid_until", nullValue());
        oauthError(token(new Registered(c.id(), fresh)), 401, "invalid_client");
        oauthError(token(c), 401, "invalid_client"); // the predecessor, within its overlap until now
        admin().get("/admin/clients/" + c.id()).then().statusCode(200)
                .body("token_endpoint_auth_methods", equalTo(List.of("private_key_jwt")));
        admin().body(Map.of()).post("/admin/clients/" + c.id() + "/secret").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("conflict"));
    }

    // ---- introspection -------------------------------------------------------------------------------

    @Test
    void introspectionShowsAnActiveClientTokensClaims() {
        Registered caller = introspector("orders-api");
        Registered c = register();
        String token = accessToken(c);
        introspect(caller, token).then().statusCode(200).header("Cache-Control", "no-store")
                .body("active", equalTo(true)).body("client_id", equalTo(c.id())).body("sub", equalTo(c.id()))
                .body("scope", equalTo("orders.read")).body("token_type", equalTo("Bearer"));
    }

    @Test
    void introspectionShowsAnActiveUserTokenAndItsRevocation() {
        Registered caller = introspector("sigil");
        Response login = Api.loggedIn(TestUsers.create("reader"));
        String token = Api.accessToken(login);
        introspect(caller, token).then().statusCode(200).body("active", equalTo(true)).body("sid", org.hamcrest.Matchers.notNullValue());
        given().auth().oauth2(token).delete("/sessions").then().statusCode(204);
        introspect(caller, token).then().statusCode(200).body("active", equalTo(false)).body("size()", equalTo(1));
    }

    @Test
    void garbageExpiredOrForeignTokensAreOnlyInactive() {
        Registered caller = register();
        for (String t : List.of("garbage", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "")) {
            introspect(caller, t).then().statusCode(200).body("active", equalTo(false)).body("size()", equalTo(1));
        }
    }

    @Test
    void introspectionNeedsAnAuthenticatedClient() {
        Registered c = register();
        String token = accessToken(c);
        oauthError(given().contentType(ContentType.URLENC).formParam("token", token).post("/oauth2/introspect"), 401, "invalid_client");
        oauthError(introspect(new Registered(c.id(), "wrong"), token), 401, "invalid_client");
        oauthError(given().auth().oauth2(token).contentType(ContentType.URLENC).formParam("token", token).post("/oauth2/introspect"),
                401, "invalid_client");
    }

    @Test
    void disablingAClientMakesItsLiveTokensInactiveAtOnce() {
        Registered caller = introspector("orders-api");
        Registered c = register();
        String token = accessToken(c);
        introspect(caller, token).then().body("active", equalTo(true));
        admin().body(Map.of("enabled", false)).patch("/admin/clients/" + c.id()).then().statusCode(200).body("enabled", equalTo(false));
        introspect(caller, token).then().body("active", equalTo(false));
        assertThat(TestRedis.call("GET", "sigil:{c:" + c.id() + "}:nbf")).isNotNull();
        oauthError(token(c), 401, "invalid_client");
    }

    @Test
    void deletingAClientMakesItsLiveTokensInactiveAtOnce() {
        Registered caller = introspector("orders-api");
        Registered c = register();
        String token = accessToken(c);
        admin().delete("/admin/clients/" + c.id()).then().statusCode(204);
        introspect(caller, token).then().body("active", equalTo(false));
        admin().get("/admin/clients/" + c.id()).then().statusCode(404);
    }

    // ---- revocation ----------------------------------------------------------------------------------

    @Test
    void aClientRevokesItsOwnAccessTokenWhichIsDenyListedUntilItExpires() {
        Registered caller = introspector("orders-api");
        Registered c = register();
        String token = accessToken(c);
        given().auth().preemptive().basic(c.id(), c.secret()).contentType(ContentType.URLENC).formParam("token", token)
                .formParam("token_type_hint", "access_token").post("/oauth2/revoke").then().statusCode(200);
        introspect(caller, token).then().body("active", equalTo(false));
        String jti = SignedJWTs.jti(token);
        assertThat((Long) TestRedis.call("PTTL", "sigil:{c:" + c.id() + "}:rjti:" + jti)).isPositive();
    }

    @Test
    void aClientCannotRevokeAnotherClientsToken() {
        Registered a = introspector("orders-api");
        Registered b = register();
        String token = accessToken(b);
        oauthError(given().auth().preemptive().basic(a.id(), a.secret()).contentType(ContentType.URLENC).formParam("token", token)
                .post("/oauth2/revoke"), 400, "unauthorized_client");
        oauthError(given().contentType(ContentType.URLENC).formParam("token", token).post("/oauth2/revoke"), 401, "invalid_client");
        introspect(a, token).then().body("active", equalTo(true));
    }

    @Test
    void aUserRevokesTheirOwnRefreshTokenWhichEndsTheSession() {
        Registered caller = introspector("sigil");
        Response login = Api.loggedIn(TestUsers.create());
        String refresh = Api.refreshCookie(login);
        String access = Api.accessToken(login);
        given().contentType(ContentType.URLENC).formParam("token", refresh).formParam("token_type_hint", "refresh_token")
                .post("/oauth2/revoke").then().statusCode(200).header("Cache-Control", "no-store");
        Api.refresh(refresh).then().statusCode(401);
        Api.me(access).then().statusCode(401);
        introspect(caller, access).then().body("active", equalTo(false));
    }

    @Test
    void aUserRevokesTheirOwnAccessTokenWhichIsDenyListed() {
        Response login = Api.loggedIn(TestUsers.create());
        String access = Api.accessToken(login);
        given().contentType(ContentType.URLENC).formParam("token", access).post("/oauth2/revoke").then().statusCode(200);
        Api.me(access).then().statusCode(401);
        Api.refresh(Api.refreshCookie(login)).then().statusCode(200); // only that access token, not the session
    }

    @Test
    void unknownTokensAreRevokedWith200AsRfc7009Says() {
        given().contentType(ContentType.URLENC).formParam("token", "x".repeat(87)).post("/oauth2/revoke").then().statusCode(200);
        given().contentType(ContentType.URLENC).formParam("token", "a.b.c").post("/oauth2/revoke").then().statusCode(200);
        oauthError(given().contentType(ContentType.URLENC).formParam("nothing", "x").post("/oauth2/revoke"), 400, "invalid_request");
    }

    // ---- metadata ------------------------------------------------------------------------------------

    @Test
    void metadataNamesTheEndpointsAndClaimsNoResponseType() {
        for (String path : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
            given().get(path).then().statusCode(200)
                    .body("issuer", equalTo(Api.issuer()))
                    .body("token_endpoint", equalTo(Api.issuer() + "/oauth2/token"))
                    .body("introspection_endpoint", equalTo(Api.issuer() + "/oauth2/introspect"))
                    .body("revocation_endpoint", equalTo(Api.issuer() + "/oauth2/revoke"))
                    .body("grant_types_supported", equalTo(List.of("client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange")))
                    .body("response_types_supported", equalTo(List.of()))
                    .body("token_endpoint_auth_methods_supported", equalTo(List.of("client_secret_basic", "client_secret_post", "private_key_jwt")))
                    .body("token_endpoint_auth_signing_alg_values_supported", equalTo(List.of("RS256", "ES256", "PS256")))
                    .body("scopes_supported", equalTo(List.of()));
        }
    }

    @Test
    void openApiDescribesTheOAuthEndpointsWithRfc6749ErrorsAndTheClientAdminApi() {
        String doc = given().accept("application/json").get("/q/openapi").asString();
        assertThat(doc).contains("\"/oauth2/token\"", "\"/oauth2/introspect\"", "\"/oauth2/revoke\"",
                "\"/admin/clients\"", "\"/admin/clients/{id}/secret\"", "\"/admin/clients/{id}/keys\"",
                "\"/.well-known/oauth-authorization-server\"", "\"OAuthError\"");
        io.restassured.path.json.JsonPath json = io.restassured.path.json.JsonPath.from(doc);
        assertThat(json.getString("paths.'/oauth2/token'.post.responses.'401'.content.'application/json'.schema.'$ref'"))
                .isEqualTo("#/components/schemas/OAuthError");
    }

    /** Reads a jti without verifying (the tests verify elsewhere). */
    static final class SignedJWTs {
        static String jti(String token) {
            try {
                return SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
            } catch (java.text.ParseException e) {
                throw new AssertionError(e);
            }
        }
    }
}
