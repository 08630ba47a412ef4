package dev.sigil.key;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sigil.support.Api;
import dev.sigil.support.TestIds;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers.TestUser;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * /me as a bearer endpoint: tokens minted here with the test's own keys, each negative case varying
 * exactly one property of an otherwise valid token.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class BearerVerificationTest {

    private final TestUser user = TestUsers.create("reader");

    /** A token exactly like Sigil's, for a fresh session id; {@code change} varies one thing. */
    private String token(PrivateKey key, String kid, Consumer<JWTClaimsSet.Builder> change) throws Exception {
        long now = System.currentTimeMillis();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(Api.issuer()).subject(user.id().toString()).audience("sigil")
                .issueTime(new Date(now)).expirationTime(new Date(now + 600_000))
                .jwtID(UUID.randomUUID().toString()).claim("sid", TestIds.sessionId())
                .claim("upn", user.username()).claim("groups", List.of("reader")).claim("uv", 0L);
        change.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(kid).build(),
                claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private String valid(Consumer<JWTClaimsSet.Builder> change) throws Exception {
        return token(TestKeys.active().privateKey(), TestKeys.active().kid(), change);
    }

    private static void rejected(String token, String description) {
        Api.me(token).then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("invalid_token"))
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"" + description + "\"");
    }

    @Test
    void aValidTokenReadsTheProfile() throws Exception {
        Api.me(valid(c -> { })).then().statusCode(200)
                .body("id", equalTo(user.id().toString()))
                .body("username", equalTo(user.username()))
                .body("roles", equalTo(List.of("reader")))
                .body(org.hamcrest.Matchers.not(containsString("argon2")));
    }

    @Test
    void noTokenGetsABareChallenge() {
        given().get("/me").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("code", equalTo("unauthorized"));
    }

    @Test
    void expiredTokenIsRejected() throws Exception {
        rejected(valid(c -> c.issueTime(new Date(System.currentTimeMillis() - 3_600_000))
                .expirationTime(new Date(System.currentTimeMillis() - 600_000))), "The access token expired");
    }

    @Test
    void wrongIssuerIsRejected() throws Exception {
        rejected(valid(c -> c.issuer("https://someone-else.example")), "The access token is invalid");
    }

    @Test
    void wrongAudienceIsRejected() throws Exception {
        rejected(valid(c -> c.audience("another-service")), "The access token is invalid");
    }

    @Test
    void tamperedPayloadIsRejected() throws Exception {
        String[] parts = valid(c -> { }).split("\\.");
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("\"reader\"", "\"admin\"").getBytes());
        rejected(parts[0] + "." + forged + "." + parts[2], "The access token is invalid");
    }

    @Test
    void tokenSignedByAnUnpublishedKeyIsRejected() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rejected(token(g.generateKeyPair().getPrivate(), TestKeys.active().kid(), c -> { }), "The access token is invalid");
    }

    @Test
    void tokenNamingAnUnknownKidIsRejected() throws Exception {
        rejected(token(TestKeys.active().privateKey(), "unknown-kid", c -> { }), "The access token is invalid");
    }

    @Test
    void garbageIsRejected() {
        rejected("not-a-jwt", "The access token is invalid");
    }

    @Test
    void aRetiredVerificationOnlyKeyStillVerifiesTokensItSignedEarlier() throws Exception {
        Api.me(token(TestKeys.retired().privateKey(), TestKeys.retired().kid(), c -> { })).then().statusCode(200)
                .body("id", equalTo(user.id().toString()));
    }
}
