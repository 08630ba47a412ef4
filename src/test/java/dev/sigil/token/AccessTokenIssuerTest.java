package dev.sigil.token;

import dev.sigil.support.UnitTest;
import dev.sigil.audit.Audit;
import dev.sigil.config.TestConfig;
import dev.sigil.id.SessionId;
import dev.sigil.id.UserId;
import dev.sigil.key.KeyFiles;
import dev.sigil.key.KeyRing;
import dev.sigil.key.SigningKey;
import dev.sigil.user.UserSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.vertx.core.Vertx;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The issuer signs with jose4j directly; smallrye-jwt's builder, which it replaced, is the reference here:
 * given the same claim values (jti, iat, exp taken from the new token), it must produce the very same
 * token, byte for byte (RS256 with PKCS#1 v1.5 is deterministic), so header, claims and their order are unchanged.
 */
@UnitTest
class AccessTokenIssuerTest {

    private static final String ISSUER = "https://auth.example.com";

    @TempDir
    Path dir;
    private Vertx vertx;
    private KeyRing ring;
    private AccessTokenIssuer issuer;

    @BeforeEach
    void start() throws Exception {
        KeyFiles.generate(dir, Instant.now().minusSeconds(60));
        vertx = Vertx.vertx();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        var config = TestConfig.sigil(Map.of("sigil.keys.dir", dir.toString(), "sigil.audience", "api-a,api-b",
                "sigil.mfa.required-roles", "admin"));
        ring = new KeyRing(config, vertx, new Audit(meters));
        issuer = new AccessTokenIssuer(ring, config, meters);
    }

    @AfterEach
    void stop() {
        vertx.close(); // also ends the ring's reload timer
    }

    @Test
    void aUserTokenIsWhatTheSmallryeBuilderMadeOfTheSameClaims() throws Exception {
        Map<String, Object> custom = new LinkedHashMap<>();
        custom.put("tenant", "acme");
        custom.put("level", 3);
        custom.put("ratio", 0.5);
        custom.put("beta", true);
        custom.put("teams", List.of("red", "blue"));
        custom.put("org", Map.of("id", 7, "tags", List.of("x")));
        UserSnapshot user = new UserSnapshot(UserId.of(UUID.randomUUID()), "alice", "alice@example.com", true, List.of("user", "admin", "ops"),
                custom, Instant.EPOCH);
        SessionId sid = SessionId.of(new byte[SessionId.BYTES]);
        // Password only: the issuer withholds admin (sigil.mfa.required-roles) and says why.
        Authentication authn = new Authentication(List.of(Authentication.PASSWORD), 1_700_000_000L);

        String token = issuer.issue(user, sid, 42, authn).value();

        JwtClaims minted = claims(token);
        JwtClaimsBuilder reference = Jwt.claims();
        custom.forEach(reference::claim);
        reference.issuer(ISSUER)
                .subject(user.id().toString())
                // The configured audiences went through a Set before: their order in aud was never fixed.
                .audience(new LinkedHashSet<>(minted.getAudience()))
                .issuedAt(minted.getIssuedAt().getValue())
                .expiresAt(minted.getExpirationTime().getValue())
                .claim("jti", minted.getJwtId())
                .claim("sid", sid.value())
                .claim("uv", 42L)
                .claim("amr", authn.methods())
                .claim("acr", authn.acr())
                .claim("auth_time", authn.authTime())
                .upn(user.username())
                .groups(new HashSet<>(List.of("user", "ops")))
                .claim("email", user.email()).claim("email_verified", true)
                .claim("mfa_enrolment_required", true);
        assertThat(token).isEqualTo(referenceSignature(reference));
    }

    @Test
    void aClientTokenIsWhatTheSmallryeBuilderMadeOfTheSameClaims() throws Exception {
        String token = issuer.issueForClient("orders", List.of("orders.read", "orders.write"), List.of("billing"), 300).value();

        JwtClaims minted = claims(token);
        JwtClaimsBuilder reference = Jwt.claims()
                .issuer(ISSUER)
                .subject("orders")
                .audience(new HashSet<>(List.of("billing")))
                .issuedAt(minted.getIssuedAt().getValue())
                .expiresAt(minted.getExpirationTime().getValue())
                .claim("jti", minted.getJwtId())
                .claim("client_id", "orders")
                .claim("scope", "orders.read orders.write");
        assertThat(token).isEqualTo(referenceSignature(reference));
        assertThat(minted.getExpirationTime().getValue() - minted.getIssuedAt().getValue()).isEqualTo(300);
    }

    @Test
    void aClientWithoutScopesGetsNoScopeClaimAndATimeOrderedJti() throws Exception {
        JwtClaims minted = claims(issuer.issueForClient("orders", List.of(), List.of("billing"), 300).value());
        assertThat(minted.hasClaim("scope")).isFalse();
        dev.sigil.id.TokenId jti = dev.sigil.id.TokenId.parse(minted.getJwtId()).orElseThrow();
        assertThat(jti.issuedAtTicks().getAsLong() / 4096 / 1000).isEqualTo(minted.getIssuedAt().getValue());
    }

    @Test
    void aClientTokenNeverGoesOutWithoutAnAudienceOrWithTheUserAudience() {
        for (List<String> audience : List.of(List.<String>of(), List.of("api-a"), List.of("billing", "api-b"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> issuer.issueForClient("orders", List.of(), audience, 300))
                    .as(audience.toString()).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private String referenceSignature(JwtClaimsBuilder reference) {
        SigningKey key = ring.active();
        return reference.jws().keyId(key.kid()).header("typ", "JWT").sign(key.privateKey());
    }

    private static JwtClaims claims(String token) throws Exception {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
        return JwtClaims.parse(payload);
    }
}
