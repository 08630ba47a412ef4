package dev.sigil.key;

import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole key rotation in seconds: next key published ahead, it activates, the old key is retired,
 * then dropped. Two stock verifiers with cached JWKS (smallrye-jwt's own parser on the JWKS URL, and
 * Nimbus' remote JWK set as Spring uses it) verify every token issued throughout with zero failures.
 */
@QuarkusTest
@TestProfile(KeyRotationTimelineTest.FastRotation.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class KeyRotationTimelineTest {

    public static class FastRotation implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sigil.tokens.access-lifetime", "PT4S", "sigil.tokens.clock-skew", "PT1S",
                    "sigil.keys.reload-interval", "PT1S",
                    "sigil.keys.jwks-max-age", "PT1S", "sigil.keys.activation-lead", "PT2S");
        }
    }

    private static List<String> publishedKids() {
        return given().get("/.well-known/jwks.json").jsonPath().getList("keys.kid");
    }

    @Test
    void aFullRotationNeverFailsAVerificationAndDropsTheOldKeyOnlyAfterItsTokensExpired() throws Exception {
        TestUser user = TestUsers.create("reader");
        String oldKid = TestKeys.active().kid();
        String jwks = Api.issuer() + "/.well-known/jwks.json";

        JWTAuthContextInfo ctx = new JWTAuthContextInfo(jwks, Api.issuer());
        ctx.setExpectedAudience(Set.of("sigil"));
        ctx.setForcedJwksRefreshInterval(0);
        ctx.setClockSkew(1);
        DefaultJWTParser smallrye = new DefaultJWTParser(ctx);

        DefaultJWTProcessor<SecurityContext> nimbus = new DefaultJWTProcessor<>();
        nimbus.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                JWKSourceBuilder.create(new URL(jwks)).cache(1000, 500).refreshAheadCache(false).rateLimited(false).build()));
        nimbus.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(Set.of("sigil"),
                new JWTClaimsSet.Builder().issuer(Api.issuer()).build(), Set.of("sub", "exp"), null));

        // Warm both verifiers up (first JWKS fetch, class loading) so the timeline below runs at speed.
        String warm = Api.accessToken(Api.loggedIn(user));
        smallrye.parse(warm);
        nimbus.process(warm, null);

        Instant activation = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
        String newKid = KeyFiles.read(KeyFiles.generate(TestKeys.DIR, activation), activation).kid();

        List<String> kidsSeen = new ArrayList<>();
        List<String> oldTokens = new ArrayList<>();
        boolean publishedBeforeActivation = false;
        int verified = 0;
        while (Instant.now().isBefore(activation.plusSeconds(3))) {
            String token = Api.accessToken(Api.loggedIn(user));
            SignedJWT jwt = SignedJWT.parse(token);
            String kid = jwt.getHeader().getKeyID();
            long iat = jwt.getJWTClaimsSet().getIssueTime().toInstant().getEpochSecond();
            // The switch happens at the activation instant, not at the next directory re-read.
            assertThat(kid).isEqualTo(iat < activation.getEpochSecond() ? oldKid : newKid);
            if (kid.equals(oldKid)) {
                oldTokens.add(token);
            }
            kidsSeen.add(kid);
            assertThat(smallrye.parse(token).getSubject()).isEqualTo(user.id().toString());
            assertThat(nimbus.process(token, null).getSubject()).isEqualTo(user.id().toString());
            verified++;
            if (Instant.now().isBefore(activation) && publishedKids().contains(newKid)) {
                publishedBeforeActivation = true;
            }
            Thread.sleep(100);
        }
        assertThat(publishedBeforeActivation).as("next key published ahead of activation").isTrue();
        assertThat(kidsSeen).contains(oldKid, newKid);
        assertThat(verified).isGreaterThan(10);

        // Retired: still published while its last tokens may be valid, and those tokens still work.
        assertThat(publishedKids()).containsExactly(newKid, oldKid);
        String lastOld = oldTokens.get(oldTokens.size() - 1);
        long lastOldExp = SignedJWT.parse(lastOld).getJWTClaimsSet().getExpirationTime().toInstant().getEpochSecond();

        // Dropped once activation + lifetime + skew has passed, by which time every old token has expired.
        Instant dropAt = activation.plusSeconds(4 + 1);
        while (Instant.now().isBefore(dropAt.plusMillis(300))) {
            Thread.sleep(100);
        }
        assertThat(Instant.now().getEpochSecond()).isGreaterThan(lastOldExp);
        assertThat(publishedKids()).containsExactly(newKid);
        Api.me(lastOld).then().statusCode(401);
    }
}
