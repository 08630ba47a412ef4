package dev.sigil.oauth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.sun.net.httpserver.HttpServer;
import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Nimbus OAuth 2.0 SDK, unchanged, as another service would use it: it reads the metadata, gets a
 * token with each client authentication method, introspects and revokes it; the token verifies through
 * the JWKS with Nimbus JOSE's processor like a user token.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class StockOAuthClientTest {

    /** A stand-in for a client's own key server (http is allowed in the test profile only). */
    private static HttpServer keyServer;
    private static final AtomicReference<String> SERVED_JWKS = new AtomicReference<>("{\"keys\":[]}");

    private String adminToken;

    private Map<String, Object> registerRaw(Map<String, Object> extra) {
        if (adminToken == null) {
            adminToken = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        }
        String id = "nimbus-" + UUID.randomUUID().toString().substring(0, 12);
        Map<String, Object> body = new HashMap<>(Map.of("client_id", id, "scopes", List.of("orders.read", "orders.write"),
                "default_scopes", List.of("orders.read"), "audience", List.of("orders-api")));
        body.putAll(extra);
        Response r = given().auth().oauth2(adminToken).contentType(ContentType.JSON).body(body).post("/admin/clients");
        r.then().statusCode(201);
        return r.jsonPath().getMap("");
    }

    private static AuthorizationServerMetadata metadata() throws Exception {
        return AuthorizationServerMetadata.resolve(new Issuer(Api.issuer()));
    }

    private static HTTPResponse send(com.nimbusds.oauth2.sdk.http.HTTPRequest request) throws Exception {
        return request.send();
    }

    private static AccessToken token(ClientAuthentication auth, Scope scope) throws Exception {
        TokenResponse r = TokenResponse.parse(send(new TokenRequest(metadata().getTokenEndpointURI(), auth, new ClientCredentialsGrant(), scope)
                .toHTTPRequest()));
        assertThat(r.indicatesSuccess()).as(() -> r.toErrorResponse().getErrorObject().toString()).isTrue();
        assertThat(r.toSuccessResponse().getTokens().getRefreshToken()).isNull();
        return r.toSuccessResponse().getTokens().getAccessToken();
    }

    private static ErrorObject tokenError(ClientAuthentication auth) throws Exception {
        TokenResponse r = TokenResponse.parse(send(new TokenRequest(metadata().getTokenEndpointURI(), auth, new ClientCredentialsGrant(), null)
                .toHTTPRequest()));
        assertThat(r.indicatesSuccess()).isFalse();
        return ((TokenErrorResponse) r).getErrorObject();
    }

    private static TokenIntrospectionSuccessResponse introspect(ClientAuthentication auth, AccessToken token) throws Exception {
        TokenIntrospectionResponse r = TokenIntrospectionResponse.parse(send(
                new TokenIntrospectionRequest(metadata().getIntrospectionEndpointURI(), auth, token).toHTTPRequest()));
        assertThat(r.indicatesSuccess()).isTrue();
        return r.toSuccessResponse();
    }

    private static void revoke(ClientAuthentication auth, AccessToken token) throws Exception {
        HTTPResponse r = send(new TokenRevocationRequest(metadata().getRevocationEndpointURI(), auth, token).toHTTPRequest());
        assertThat(r.getStatusCode()).isEqualTo(200);
    }

    /** What a resource server does with the token: Nimbus JOSE, remote JWKS, RS256, iss/aud/exp. */
    private static JWTClaimsSet verifyThroughJwks(AccessToken token, String audience) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier((type, ctx) -> { });
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                JWKSourceBuilder.create(new URL(Api.issuer() + "/.well-known/jwks.json")).build()));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(Set.of(audience),
                new JWTClaimsSet.Builder().issuer(Api.issuer()).build(), Set.of("sub", "exp", "iat", "jti", "client_id"), null));
        return processor.process(token.getValue(), null);
    }

    /** The whole life of a token with one authentication method: get, verify, introspect, revoke, introspect. */
    private static void fullCycle(String clientId, java.util.function.Supplier<ClientAuthentication> auth) throws Exception {
        AccessToken token = token(auth.get(), new Scope("orders.write"));
        JWTClaimsSet claims = verifyThroughJwks(token, "orders-api");
        assertThat(claims.getSubject()).isEqualTo(clientId);
        assertThat(claims.getStringClaim("scope")).isEqualTo("orders.write");

        TokenIntrospectionSuccessResponse active = introspect(auth.get(), token);
        assertThat(active.isActive()).isTrue();
        assertThat(active.getClientID()).isEqualTo(new ClientID(clientId));
        assertThat(active.getScope()).isEqualTo(new Scope("orders.write"));

        revoke(auth.get(), token);
        assertThat(introspect(auth.get(), token).isActive()).isFalse();
    }

    @AfterAll
    static void stopKeyServer() {
        if (keyServer != null) {
            keyServer.stop(0);
        }
    }

    private static String keyServerUrl() throws Exception {
        if (keyServer == null) {
            keyServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            keyServer.createContext("/jwks.json", exchange -> {
                byte[] body = SERVED_JWKS.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            keyServer.start();
        }
        return "http://127.0.0.1:" + keyServer.getAddress().getPort() + "/jwks.json";
    }

    // ---- metadata ------------------------------------------------------------------------------------

    @Test
    void theStockClientReadsBothMetadataDocuments() throws Exception {
        AuthorizationServerMetadata m = metadata();
        assertThat(m.getIssuer()).isEqualTo(new Issuer(Api.issuer()));
        assertThat(m.getTokenEndpointURI()).isEqualTo(URI.create(Api.issuer() + "/oauth2/token"));
        assertThat(m.getIntrospectionEndpointURI()).isEqualTo(URI.create(Api.issuer() + "/oauth2/introspect"));
        assertThat(m.getRevocationEndpointURI()).isEqualTo(URI.create(Api.issuer() + "/oauth2/revoke"));
        assertThat(m.getGrantTypes()).containsExactly(com.nimbusds.oauth2.sdk.GrantType.CLIENT_CREDENTIALS,
                com.nimbusds.oauth2.sdk.GrantType.TOKEN_EXCHANGE);
        assertThat(m.getTokenEndpointAuthMethods()).extracting(Object::toString)
                .containsExactly("client_secret_basic", "client_secret_post", "private_key_jwt");
        assertThat(m.getResponseTypes()).isEmpty();
        // What Spring's issuer-uri and quarkus-oidc read: the OpenID document still parses as OpenID metadata.
        OIDCProviderMetadata oidc = OIDCProviderMetadata.resolve(new Issuer(Api.issuer()));
        assertThat(oidc.getJWKSetURI()).isEqualTo(URI.create(Api.issuer() + "/.well-known/jwks.json"));
        assertThat(oidc.getTokenEndpointURI()).isEqualTo(m.getTokenEndpointURI());
    }

    @Test
    void nimbusRequestsAResourceWithRfc8707AndGetsATokenOnlyThatResourceServerAccepts() throws Exception {
        Map<String, Object> c = registerRaw(Map.of("audience", List.of("orders-api", "https://inventory.example.com")));
        String id = (String) c.get("client_id");
        ClientSecretBasic auth = new ClientSecretBasic(new ClientID(id), new Secret((String) c.get("client_secret")));
        TokenResponse r = TokenResponse.parse(send(new TokenRequest.Builder(metadata().getTokenEndpointURI(), auth, new ClientCredentialsGrant())
                .resources(URI.create("https://inventory.example.com")).build().toHTTPRequest()));
        assertThat(r.indicatesSuccess()).isTrue();
        AccessToken token = r.toSuccessResponse().getTokens().getAccessToken();
        assertThat(verifyThroughJwks(token, "https://inventory.example.com").getAudience()).containsExactly("https://inventory.example.com");
        // The same verifier configured for user tokens (audience sigil) refuses it.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> verifyThroughJwks(token, "sigil"))
                .isInstanceOf(com.nimbusds.jwt.proc.BadJWTException.class);

        TokenResponse refused = TokenResponse.parse(send(new TokenRequest.Builder(metadata().getTokenEndpointURI(), auth,
                new ClientCredentialsGrant()).resources(URI.create("https://evil.example.com")).build().toHTTPRequest()));
        assertThat(refused.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) refused).getErrorObject().getCode()).isEqualTo("invalid_target");
    }

    // ---- each client authentication method -----------------------------------------------------------

    @Test
    void clientSecretBasicGetsVerifiesIntrospectsAndRevokesAToken() throws Exception {
        Map<String, Object> c = registerRaw(Map.of());
        String id = (String) c.get("client_id");
        Secret secret = new Secret((String) c.get("client_secret"));
        fullCycle(id, () -> new ClientSecretBasic(new ClientID(id), secret));
    }

    @Test
    void clientSecretPostGetsVerifiesIntrospectsAndRevokesAToken() throws Exception {
        Map<String, Object> c = registerRaw(Map.of());
        String id = (String) c.get("client_id");
        Secret secret = new Secret((String) c.get("client_secret"));
        fullCycle(id, () -> new ClientSecretPost(new ClientID(id), secret));
    }

    @Test
    void privateKeyJwtWithARegisteredRsaKeyGetsVerifiesIntrospectsAndRevokesAToken() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        Map<String, Object> c = registerRaw(Map.of("jwks", new JWKSet(key.toPublicJWK()).toJSONObject()));
        String id = (String) c.get("client_id");
        assertThat(c).doesNotContainKey("client_secret");
        fullCycle(id, () -> privateKeyJwt(id, key));
    }

    @Test
    void privateKeyJwtWithAnEcKeyFromAJwksUrlGetsVerifiesIntrospectsAndRevokesAToken() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ec1").generate();
        SERVED_JWKS.set(new JWKSet(key.toPublicJWK()).toString());
        Map<String, Object> c = registerRaw(Map.of("jwks_uri", keyServerUrl()));
        String id = (String) c.get("client_id");
        fullCycle(id, () -> {
            try {
                return new PrivateKeyJWT(new ClientID(id), metadata().getTokenEndpointURI(), JWSAlgorithm.ES256,
                        key.toECPrivateKey(), key.getKeyID(), null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static PrivateKeyJWT privateKeyJwt(String id, RSAKey key) {
        try {
            return new PrivateKeyJWT(new ClientID(id), metadata().getTokenEndpointURI(), JWSAlgorithm.RS256, key.toRSAPrivateKey(),
                    key.getKeyID(), null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void onlyValidPublicRsaOrP256KeysCanBeRegistered() throws Exception {
        if (adminToken == null) {
            adminToken = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        }
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
        List<Object> refused = List.of(
                Map.of("keys", "not-a-list"),
                Map.of("keys", List.of()),
                Map.of("keys", List.of(Map.of("kty", "oct", "k", "c2VjcmV0c2VjcmV0c2VjcmV0"))),
                new JWKSet(rsa).toJSONObject(false), // with the private key
                new JWKSet(new RSAKeyGenerator(1024, true).generate().toPublicJWK()).toJSONObject(),
                new JWKSet(new ECKeyGenerator(Curve.P_384).generate().toPublicJWK()).toJSONObject(),
                offCurve(new ECKeyGenerator(Curve.P_256).generate()),
                new JWKSet(new RSAKey.Builder(rsa.getModulus(), com.nimbusds.jose.util.Base64URL.encode(java.math.BigInteger.valueOf(3)))
                        .build()).toJSONObject(), // e = 3
                Map.of("nokeys", 1));
        for (Object jwks : refused) {
            String id = "keys-" + UUID.randomUUID().toString().substring(0, 8);
            given().auth().oauth2(adminToken).contentType(ContentType.JSON).body(Map.of("client_id", id, "jwks", jwks))
                    .post("/admin/clients").then().statusCode(400).contentType("application/problem+json")
                    .body("code", org.hamcrest.Matchers.equalTo("validation_failed"));
            assertThat(TestUsers.count("select count(*) from sigil.clients where id = ?", id)).as(jwks.toString()).isZero();
        }
    }

    /** The key's JWK set with y + 1: a point off the curve. */
    private static Map<String, Object> offCurve(ECKey key) {
        java.math.BigInteger y = key.getY().decodeToBigInteger().add(java.math.BigInteger.ONE);
        Map<String, Object> jwk = new HashMap<>(key.toPublicJWK().toJSONObject());
        jwk.put("y", com.nimbusds.jose.util.Base64URL.encode(com.nimbusds.jose.util.BigIntegerUtils.toBytesUnsigned(y)).toString());
        return Map.of("keys", List.of(jwk));
    }

    // ---- refused assertions --------------------------------------------------------------------------

    /** A JWKS URL that streams forever (chunked, no Content-Length) costs Sigil at most the cap: the grant fails fast. */
    @Test
    void aJwksUrlWithAnEndlessBodyGivesInvalidClientFast() throws Exception {
        HttpServer endless = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endless.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        endless.createContext("/jwks.json", exchange -> {
            byte[] chunk = " ".repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII);
            try {
                exchange.sendResponseHeaders(200, 0); // chunked
                exchange.getResponseBody().write("{\"keys\":[".getBytes(StandardCharsets.US_ASCII));
                while (!closed.get()) {
                    exchange.getResponseBody().write(chunk);
                }
            } catch (java.io.IOException e) {
                closed.set(true);
            } finally {
                exchange.close();
            }
        });
        endless.start();
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
            String id = (String) registerRaw(Map.of("jwks_uri", "http://127.0.0.1:" + endless.getAddress().getPort() + "/jwks.json"))
                    .get("client_id");
            com.nimbusds.oauth2.sdk.http.HTTPRequest request = new TokenRequest(metadata().getTokenEndpointURI(), privateKeyJwt(id, key),
                    new ClientCredentialsGrant(), null).toHTTPRequest();
            request.setReadTimeout(10_000); // before the fix Sigil read on until it ran out of memory
            TokenResponse r = TokenResponse.parse(request.send());
            assertThat(r.indicatesSuccess()).isFalse();
            assertThat(((TokenErrorResponse) r).getErrorObject().getCode()).isEqualTo("invalid_client");
            assertThat(((TokenErrorResponse) r).getErrorObject().getHTTPStatusCode()).isEqualTo(401);
        } finally {
            closed.set(true);
            endless.stop(0);
        }
    }

    @Test
    void aReplayedAssertionIsInvalidClient() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        String id = (String) registerRaw(Map.of("jwks", new JWKSet(key.toPublicJWK()).toJSONObject())).get("client_id");
        PrivateKeyJWT once = privateKeyJwt(id, key);
        token(once, null);
        assertThat(tokenError(once).getCode()).isEqualTo("invalid_client");
    }

    @Test
    void oneAssertionSentManyTimesAtOnceGetsExactlyOneToken() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        String id = (String) registerRaw(Map.of("jwks", new JWKSet(key.toPublicJWK()).toJSONObject())).get("client_id");
        String assertion = assertion(id, key, JWSAlgorithm.RS256, Api.issuer() + "/oauth2/token", 60).serialize();
        int n = 12;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                            .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                            .formParam("client_assertion", assertion).post("/oauth2/token").statusCode();
                }));
            }
            go.countDown();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> f : answers) {
                statuses.add(f.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            // Every other copy is a replay: invalid_client, or 429 once the replays in flight reach the
            // lockout threshold (client authentication reserves its check before it runs, like a login).
            assertThat(statuses).filteredOn(s -> s != 200).hasSize(n - 1).allMatch(s -> s == 401 || s == 429);
        } finally {
            pool.shutdownNow();
        }
    }

    private static SignedJWT assertion(String id, RSAKey key, JWSAlgorithm alg, String aud, long expSeconds) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(id).subject(id).audience(aud)
                .expirationTime(new Date(System.currentTimeMillis() + expSeconds * 1000)).issueTime(new Date())
                .jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt;
    }

    @Test
    void assertionsWithAWrongKeyAudienceIssuerOrLifetimeAreInvalidClient() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        String id = (String) registerRaw(Map.of("jwks", new JWKSet(key.toPublicJWK()).toJSONObject())).get("client_id");
        String endpoint = Api.issuer() + "/oauth2/token";

        token(new PrivateKeyJWT(assertion(id, key, JWSAlgorithm.RS256, endpoint, 60)), null); // the control: one property varies below
        assertThat(tokenError(new PrivateKeyJWT(assertion(id, stranger, JWSAlgorithm.RS256, endpoint, 60))).getCode()).isEqualTo("invalid_client");
        assertThat(tokenError(new PrivateKeyJWT(assertion(id, key, JWSAlgorithm.RS256, "https://elsewhere.example/token", 60))).getCode())
                .isEqualTo("invalid_client");
        assertThat(tokenError(new PrivateKeyJWT(assertion(id, key, JWSAlgorithm.RS256, endpoint, 3600))).getCode()).isEqualTo("invalid_client");
        assertThat(tokenError(new PrivateKeyJWT(assertion(id, key, JWSAlgorithm.RS256, endpoint, -120))).getCode()).isEqualTo("invalid_client");
        assertThat(tokenError(new PrivateKeyJWT(assertion(id, key, JWSAlgorithm.RS512, endpoint, 60))).getCode()).isEqualTo("invalid_client");
    }

    /** An RS256 assertion with {@code aud} written as the given JSON value (Nimbus would turn a one-element array into a string). */
    private static String rawAssertion(String id, RSAKey key, String kid, String audJson) throws Exception {
        String payload = "{\"iss\":\"" + id + "\",\"sub\":\"" + id + "\",\"aud\":" + audJson + ",\"exp\":"
                + (System.currentTimeMillis() / 1000 + 60) + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(),
                new com.nimbusds.jose.Payload(payload));
        jws.sign(new RSASSASigner(key));
        return jws.serialize();
    }

    private static Response tokenWithAssertion(String assertion) {
        return tokenWithAssertion(assertion, "127.0.0.1");
    }

    private static Response tokenWithAssertion(String assertion, String address) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .formParam("client_assertion", assertion).post("/oauth2/token");
    }

    @Test
    void anAssertionsAudienceIsOneValueTheIssuerOrTheTokenEndpoint() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        String id = (String) registerRaw(Map.of("jwks", new JWKSet(key.toPublicJWK()).toJSONObject())).get("client_id");
        String endpoint = "\"" + Api.issuer() + "/oauth2/token\"";
        String issuer = "\"" + Api.issuer() + "\"";
        for (String accepted : List.of(endpoint, issuer, "[" + endpoint + "]", "[" + issuer + "]")) {
            tokenWithAssertion(rawAssertion(id, key, "k1", accepted)).then().statusCode(200);
        }
        for (String refused : List.of("[" + endpoint + ",\"https://elsewhere.example/token\"]", "[" + issuer + "," + endpoint + "]",
                "\"" + Api.issuer() + "/oauth2/introspect\"", "[]", "\"https://elsewhere.example/token\"")) {
            tokenWithAssertion(rawAssertion(id, key, "k1", refused)).then().statusCode(401)
                    .body("error", org.hamcrest.Matchers.equalTo("invalid_client"));
        }
    }

    @Test
    void anAssertionWhoseKidNamesNoKeyIsVerifiedWithTheClientsKeysOfItsType() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        RSAKey other = new RSAKeyGenerator(2048).keyID("k2").generate();
        String id = (String) registerRaw(Map.of("jwks", new JWKSet(List.of(other.toPublicJWK(), key.toPublicJWK())).toJSONObject()))
                .get("client_id");
        String aud = "\"" + Api.issuer() + "/oauth2/token\"";
        // Spring's docs example sends a random kid.
        tokenWithAssertion(rawAssertion(id, key, UUID.randomUUID().toString(), aud)).then().statusCode(200);
        tokenWithAssertion(rawAssertion(id, key, null, aud)).then().statusCode(200);
        RSAKey stranger = new RSAKeyGenerator(2048).generate();
        tokenWithAssertion(rawAssertion(id, stranger, UUID.randomUUID().toString(), aud)).then().statusCode(401);
        // A kid that names a key still means that key: signed by another of the client's keys, it fails.
        tokenWithAssertion(rawAssertion(id, key, "k2", aud)).then().statusCode(401);
    }

    @Test
    void badAssertionsFromOneAddressAreThrottledButARightOneIsAlwaysServed() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        String id = (String) registerRaw(Map.of("jwks", new JWKSet(key.toPublicJWK()).toJSONObject())).get("client_id");
        String address = "203.0.113." + (1 + new java.util.Random().nextInt(250));
        String aud = "\"" + Api.issuer() + "/oauth2/token\"";
        for (int i = 0; i < 5; i++) {
            tokenWithAssertion(rawAssertion(id, stranger, "k1", aud), address).then().statusCode(401);
        }
        tokenWithAssertion(rawAssertion(id, stranger, "k1", aud), address).then().statusCode(429);
        tokenWithAssertion(rawAssertion(id, key, "k1", aud), address).then().statusCode(200);
    }

    @Test
    void anHmacAssertionKeyedWithAnythingPublicIsInvalidClient() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        String id = (String) registerRaw(Map.of("jwks", new JWKSet(key.toPublicJWK()).toJSONObject())).get("client_id");
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(id).subject(id).audience(Api.issuer() + "/oauth2/token")
                .expirationTime(new Date(System.currentTimeMillis() + 60_000)).jwtID(UUID.randomUUID().toString()).build();
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims);
        hs.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
        // Nimbus refuses to send such an assertion, so it goes out as a raw form.
        given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .formParam("client_assertion", hs.serialize()).post("/oauth2/token")
                .then().statusCode(401).body("error", org.hamcrest.Matchers.equalTo("invalid_client"));
    }

    @Test
    void aSecretClientCannotUsePrivateKeyJwtAndAKeyClientHasNoSecret() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        String secretClient = (String) registerRaw(Map.of()).get("client_id");
        assertThat(tokenError(privateKeyJwt(secretClient, key)).getCode()).isEqualTo("invalid_client");
        String keyClient = (String) registerRaw(Map.of("jwks", new JWKSet(key.toPublicJWK()).toJSONObject())).get("client_id");
        assertThat(tokenError(new ClientSecretBasic(new ClientID(keyClient), new Secret(""))).getCode()).isEqualTo("invalid_client");
    }
}
