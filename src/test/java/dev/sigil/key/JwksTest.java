package dev.sigil.key;

import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class JwksTest {

    @Test
    void jwksPublishesTheActiveAndTheStillNeededRetiredKeyWithPublicMembersOnly() {
        Response r = given().get("/.well-known/jwks.json");
        r.then().statusCode(200).contentType("application/json")
                .header("Cache-Control", "public, max-age=300");
        List<Map<String, Object>> keys = r.jsonPath().getList("keys");
        assertThat(keys).extracting(k -> k.get("kid"))
                .containsExactly(TestKeys.active().kid(), TestKeys.retired().kid());
        for (Map<String, Object> k : keys) {
            assertThat(k.keySet()).containsExactlyInAnyOrder("kty", "use", "alg", "kid", "n", "e");
            assertThat(k).containsEntry("kty", "RSA").containsEntry("use", "sig").containsEntry("alg", "RS256")
                    .containsEntry("e", "AQAB");
        }
    }

    @Test
    void kidIsTheRfc7638Thumbprint() throws Exception {
        JWKSet set = JWKSet.parse(given().get("/.well-known/jwks.json").asString());
        for (var jwk : set.getKeys()) {
            assertThat(jwk.getKeyID()).isEqualTo(jwk.computeThumbprint("SHA-256").toString());
        }
    }

    @Test
    void strongEtagAndNotModified() {
        String etag = given().get("/.well-known/jwks.json").then().statusCode(200).extract().header("ETag");
        assertThat(etag).startsWith("\"").endsWith("\"");
        given().header("If-None-Match", etag).get("/.well-known/jwks.json").then()
                .statusCode(304).header("ETag", etag).body(equalTo(""));
        given().header("If-None-Match", "\"other\", " + etag).get("/.well-known/jwks.json").then().statusCode(304);
        given().header("If-None-Match", "\"other\"").get("/.well-known/jwks.json").then().statusCode(200);
    }

    /** RFC 8414 with the RFC 7591 method names: revocation takes no client authentication for a user's own token. */
    @Test
    void revocationMetadataListsNoneButTheTokenAndIntrospectionEndpointsDoNot() {
        for (String doc : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
            Response r = given().get(doc);
            assertThat(r.jsonPath().getList("revocation_endpoint_auth_methods_supported", String.class))
                    .containsExactly("client_secret_basic", "client_secret_post", "private_key_jwt", "none");
            assertThat(r.jsonPath().getList("token_endpoint_auth_methods_supported", String.class)).doesNotContain("none");
            assertThat(r.jsonPath().getList("introspection_endpoint_auth_methods_supported", String.class)).doesNotContain("none");
        }
        String access = Api.accessToken(Api.loggedIn(TestUsers.create()));
        given().contentType("application/x-www-form-urlencoded").formParam("token", access).post("/oauth2/revoke").then().statusCode(200);
        Api.me(access).then().statusCode(401);
    }

    /** Node's fetch sends both; no-cache binds caches, the origin still evaluates the precondition (RFC 9110 section 13.1.2). */
    @Test
    void ifNoneMatchWithCacheControlNoCacheIsStillNotModified() {
        String etag = given().get("/.well-known/jwks.json").then().statusCode(200).extract().header("ETag");
        given().header("If-None-Match", etag).header("Cache-Control", "no-cache").header("Pragma", "no-cache")
                .get("/.well-known/jwks.json").then().statusCode(304).header("ETag", etag).body(equalTo(""));
        given().header("If-None-Match", "W/" + etag).header("Cache-Control", "no-cache").get("/.well-known/jwks.json")
                .then().statusCode(304);
        given().header("If-None-Match", "*").get("/.well-known/jwks.json").then().statusCode(304);
        given().header("If-None-Match", "\"other\"").header("Cache-Control", "no-cache").get("/.well-known/jwks.json")
                .then().statusCode(200);
        given().header("If-None-Match", "garbage").get("/.well-known/jwks.json").then().statusCode(200);
    }

    @Test
    void discoveryNamesTheIssuerAndAWorkingJwksUri() {
        Response d = given().get("/.well-known/openid-configuration");
        d.then().statusCode(200).contentType("application/json")
                .body("issuer", equalTo(Api.issuer()))
                .body("id_token_signing_alg_values_supported", org.hamcrest.Matchers.hasItem("RS256"))
                .body("claims_supported", org.hamcrest.Matchers.hasItems("email_verified", "amr", "acr", "auth_time", "uv"));
        String jwksUri = d.jsonPath().getString("jwks_uri");
        assertThat(jwksUri).isEqualTo(Api.issuer() + "/.well-known/jwks.json");
        given().get(jwksUri).then().statusCode(200);
    }

    @Test
    void discoveryIssuerIsExactlyTheTokensIss() throws Exception {
        String token = Api.accessToken(Api.loggedIn(TestUsers.create()));
        String iss = com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getIssuer();
        given().get("/.well-known/openid-configuration").then().body("issuer", equalTo(iss));
    }

    @Test
    void anIndependentVerifierFetchingTheJwksOverHttpAcceptsSigilTokens() throws Exception {
        String token = Api.accessToken(Api.loggedIn(TestUsers.create("reader")));

        // What a Spring resource server does: Nimbus with a remote JWK set, RS256 only, iss/aud/exp checked.
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier((type, ctx) -> { });
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                JWKSourceBuilder.create(new URL(Api.issuer() + "/.well-known/jwks.json")).build()));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(Set.of("sigil"),
                new JWTClaimsSet.Builder().issuer(Api.issuer()).build(), Set.of("sub", "exp", "iat", "jti"), null));

        JWTClaimsSet claims = processor.process(token, null);
        assertThat(claims.getStringListClaim("groups")).containsExactly("reader");
    }
}
