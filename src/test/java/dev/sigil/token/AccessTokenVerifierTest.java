package dev.sigil.token;

import dev.sigil.support.UnitTest;
import dev.sigil.audit.Audit;
import dev.sigil.config.TestConfig;
import dev.sigil.id.ClientId;
import dev.sigil.id.SessionId;
import dev.sigil.id.TokenId;
import dev.sigil.id.UserId;
import dev.sigil.key.KeyFiles;
import dev.sigil.key.KeyRing;
import dev.sigil.token.VerifiedToken.ClientToken;
import dev.sigil.token.VerifiedToken.UserToken;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Vertx;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one access-token verifier without Quarkus: a real key ring over a temporary key directory, tokens signed
 * with its key. Each negative case varies one header member or claim of a token that is otherwise accepted.
 */
@UnitTest
class AccessTokenVerifierTest {

    private static final String ISSUER = "https://auth.example.com";

    // One key ring for the class: generating an RSA key per test would cost most of the run.
    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static KeyRing ring;
    private static AccessTokenIssuer issuer;
    private static AccessTokenVerifier verifier;

    private final UUID user = UUID.randomUUID();
    private final String sid = SessionId.of(new byte[SessionId.BYTES]).value();

    @BeforeAll
    static void start() throws Exception {
        KeyFiles.generate(dir, Instant.now().minusSeconds(60));
        vertx = Vertx.vertx();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        var config = TestConfig.sigil(Map.of("sigil.keys.dir", dir.toString(), "sigil.audience", "api-a,api-b"));
        ring = new KeyRing(config, vertx, new Audit(meters));
        issuer = new AccessTokenIssuer(ring, config, meters);
        verifier = new AccessTokenVerifier(ring, config);
    }

    @AfterAll
    static void stop() {
        vertx.close(); // also ends the ring's reload timer
    }

    // ---- token assembly --------------------------------------------------------------------------

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** The claims of a user token as Sigil issues them, with {@code extra} members appended verbatim. */
    private String userClaims(long iat, String extra) {
        return "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + user + "\",\"aud\":[\"api-a\",\"api-b\"],\"iat\":" + iat
                + ",\"exp\":" + (iat + 900) + ",\"jti\":\"" + UUID.randomUUID() + "\",\"sid\":\"" + sid + "\",\"uv\":3,"
                + "\"amr\":[\"pwd\",\"otp\"],\"acr\":\"aal2\",\"auth_time\":1700000000,\"upn\":\"alice\","
                + "\"groups\":[\"reader\",\"admin\"]" + extra + "}";
    }

    private String userClaims(String extra) {
        return userClaims(now(), extra);
    }

    /** {@code userClaims} with the first match of {@code regex} replaced: one claim varied. */
    private String userClaimsWith(String regex, String replacement) {
        return userClaims("").replaceFirst(regex, replacement);
    }

    private static String signed(Map<String, String> header, String claims, PrivateKey key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        header.forEach(jws::setHeader);
        jws.setPayload(claims);
        jws.setKey(key);
        return jws.getCompactSerialization();
    }

    private static String signed(String claims) throws Exception {
        return signed(Map.of("kid", ring.active().kid(), "typ", "JWT"), claims, ring.active().privateKey());
    }

    private static void rejected(String token) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(RejectedToken.class);
    }

    // ---- what is accepted, typed -----------------------------------------------------------------

    @Test
    void aUserTokenHasEveryClaimSigilReadsTyped() throws Exception {
        String jti = UUID.randomUUID().toString();
        VerifiedToken v = verifier.verify(signed(userClaimsWith("\"jti\":\"[^\"]+\"", "\"jti\":\"" + jti + "\"")));

        UserToken u = (UserToken) v;
        assertThat(u.user()).isEqualTo(new UserId(user));
        assertThat(u.session()).isEqualTo(SessionId.fromString(sid));
        assertThat(u.jti()).isEqualTo(TokenId.fromString(jti));
        assertThat(u.version()).isEqualTo(3);
        assertThat(u.groups()).containsExactlyInAnyOrder("reader", "admin");
        assertThat(u.methods()).containsExactly("pwd", "otp");
        assertThat(u.secondFactorAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(u.audience()).containsExactly("api-a", "api-b");
        assertThat(u.expiresAt() - u.issuedAt()).isEqualTo(900);
        assertThat(u.claims()).containsEntry("upn", "alice").containsEntry("acr", "aal2");
    }

    @Test
    void aClientTokenSigilIssuedHasItsClientScopesAndIssueInstant() throws Exception {
        String token = issuer.issueForClient("orders", List.of("orders.read", "orders.write"), List.of("billing"), 300).value();

        ClientToken c = (ClientToken) verifier.verify(token);

        assertThat(c.client()).isEqualTo(new ClientId("orders"));
        assertThat(c.scopes()).containsExactly("orders.read", "orders.write");
        assertThat(c.audience()).containsExactly("billing");
        assertThat(c.issuedAtTicks() / 4096 / 1000).isEqualTo(c.issuedAt());
    }

    @Test
    void withoutAmrOrAuthTimeTheSessionNeverSteppedUp() throws Exception {
        UserToken u = (UserToken) verifier.verify(signed(userClaims("").replace("\"amr\":[\"pwd\",\"otp\"],", "")
                .replace("\"auth_time\":1700000000,", "")));
        assertThat(u.methods()).isEmpty();
        assertThat(u.authTime()).isNull();
        assertThat(u.secondFactorAt()).isNull();
    }

    @Test
    void withThePasswordAloneTheSessionNeverSteppedUp() throws Exception {
        UserToken u = (UserToken) verifier.verify(signed(userClaimsWith("\"amr\":\\[[^]]*]", "\"amr\":[\"pwd\"]")));
        assertThat(u.secondFactorAt()).isNull();
    }

    @Test
    void anAbsentUserVersionIsRejected() throws Exception {
        // Every access token Sigil issues carries uv: one without it is not Sigil's.
        rejected(signed(userClaimsWith("\"uv\":3,", "")));
    }

    @Test
    void anAbsentGroupsClaimIsNoRole() throws Exception {
        UserToken u = (UserToken) verifier.verify(signed(userClaimsWith(",\"groups\":\\[[^]]*]", "")));
        assertThat(u.groups()).isEmpty();
    }

    @Test
    void iatWithinTheClockSkewIsAccepted() throws Exception {
        assertThat(verifier.verify(signed(userClaims(now() + 10, "")))).isInstanceOf(UserToken.class);
    }

    // ---- the signature and the header ------------------------------------------------------------

    @Test
    void aKeyOutsideTheRingIsRejected() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rejected(signed(Map.of("kid", ring.active().kid(), "typ", "JWT"), userClaims(""), g.generateKeyPair().getPrivate()));
    }

    @Test
    void anUnknownKidIsRejected() throws Exception {
        rejected(signed(Map.of("kid", "no-such-key", "typ", "JWT"), userClaims(""), ring.active().privateKey()));
    }

    @Test
    void aMissingKidIsRejected() throws Exception {
        rejected(signed(Map.of("typ", "JWT"), userClaims(""), ring.active().privateKey()));
    }

    @Test
    void anotherTypIsRejected() throws Exception {
        rejected(signed(Map.of("kid", ring.active().kid(), "typ", "at+jwt"), userClaims(""), ring.active().privateKey()));
    }

    @Test
    void aMissingTypIsRejected() throws Exception {
        rejected(signed(Map.of("kid", ring.active().kid()), userClaims(""), ring.active().privateKey()));
    }

    @Test
    void aPaddedSignatureIsRejected() throws Exception {
        rejected(signed(userClaims("")) + "==");
    }

    @Test
    void nullAndGarbageAreRejected() {
        for (String garbage : List.of("", "x", "a.b.c", "e30.e30.e30")) {
            rejected(garbage);
        }
        rejected(null);
    }

    // ---- the registered claims -------------------------------------------------------------------

    @Test
    void anotherIssuerIsRejected() throws Exception {
        rejected(signed(userClaimsWith("\"iss\":\"[^\"]+\"", "\"iss\":\"https://someone-else.example\"")));
    }

    @Test
    void anExpiredTokenIsRejectedAsExpired() throws Exception {
        long iat = now() - 3600;
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> verifier.verify(signed(userClaims(iat, ""))));
        assertThat(e).isInstanceOf(RejectedToken.class);
        // The bearer challenge tells an expired token apart by jose4j's error codes, which the redacted cause keeps.
        assertThat(e.getCause()).isInstanceOf(InvalidJwtException.class);
        assertThat(((InvalidJwtException) e.getCause()).hasExpired()).isTrue();
        assertThat(e.getCause().getMessage()).doesNotContain("eyJ");
    }

    @Test
    void iatBeyondTheClockSkewIsRejected() throws Exception {
        rejected(signed(userClaims(now() + 120, "")));
    }

    @Test
    void aMissingJtiIsRejected() throws Exception {
        rejected(signed(userClaimsWith("\"jti\":\"[^\"]+\",", "")));
    }

    @Test
    void noAudienceIsRejected() throws Exception {
        rejected(signed(userClaimsWith("\"aud\":\\[[^]]*],", "")));
        rejected(signed(userClaimsWith("\"aud\":\\[[^]]*]", "\"aud\":[]")));
    }

    // ---- Sigil's own claims, in their exact formats ----------------------------------------------

    @Test
    void anUpperCaseSubIsRejected() throws Exception {
        rejected(signed(userClaimsWith("\"sub\":\"[^\"]+\"", "\"sub\":\"" + user.toString().toUpperCase() + "\"")));
    }

    @Test
    void aSidWithAKeySuffixIsRejected() throws Exception {
        rejected(signed(userClaimsWith("\"sid\":\"[^\"]+\"", "\"sid\":\"" + sid + ":old\"")));
    }

    @Test
    void aNumericSidIsRejected() throws Exception {
        rejected(signed(userClaimsWith("\"sid\":\"[^\"]+\"", "\"sid\":12345")));
    }

    @Test
    void anUpperCaseJtiIsRejected() throws Exception {
        rejected(signed(userClaimsWith("\"jti\":\"[^\"]+\"", "\"jti\":\"" + UUID.randomUUID().toString().toUpperCase() + "\"")));
    }

    @Test
    void aUserVersionThatIsNotANonNegativeIntegerIsRejected() throws Exception {
        for (String bad : List.of("-1", "0.5", "1.0", "\"0\"", "[0]", "99999999999999999999", "null")) {
            rejected(signed(userClaimsWith("\"uv\":3", "\"uv\":" + bad)));
        }
    }

    @Test
    void groupsThatAreNotAnArrayOfStringsAreRejected() throws Exception {
        for (String bad : List.of("\"admin reader\"", "[1]", "{\"admin\":true}")) {
            rejected(signed(userClaimsWith("\"groups\":\\[[^]]*]", "\"groups\":" + bad)));
        }
    }

    @Test
    void amrOrAuthTimeOfAnotherTypeIsRejected() throws Exception {
        rejected(signed(userClaimsWith("\"amr\":\\[[^]]*]", "\"amr\":\"otp\"")));
        rejected(signed(userClaimsWith("\"auth_time\":\\d+", "\"auth_time\":\"1700000000\"")));
    }

    @Test
    void aUserTokenCarryingClientIdIsNeitherKind() throws Exception {
        rejected(signed(userClaims(",\"client_id\":\"orders\"")));
    }

    @Test
    void aClientTokenWhoseSubIsNotItsClientIsRejected() throws Exception {
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"other\",\"aud\":\"billing\",\"iat\":" + now() + ",\"exp\":" + (now() + 300)
                + ",\"jti\":\"" + TokenId.timeOrdered(Instant.now()) + "\",\"client_id\":\"orders\"}";
        rejected(signed(claims));
        assertThat(verifier.verify(signed(claims.replace("\"sub\":\"other\"", "\"sub\":\"orders\"")))).isInstanceOf(ClientToken.class);
    }

    @Test
    void aClientTokenWithARandomJtiIsRejected() throws Exception {
        // Only a time-ordered jti carries the issue instant that the client's not-before is compared with.
        rejected(signed("{\"iss\":\"" + ISSUER + "\",\"sub\":\"orders\",\"aud\":\"billing\",\"iat\":" + now() + ",\"exp\":" + (now() + 300)
                + ",\"jti\":\"" + UUID.randomUUID() + "\",\"client_id\":\"orders\"}"));
    }

    // ---- the bearer check: smallrye-jwt's parser path ---------------------------------------------

    @Test
    void theBearerCheckHandsOnTheTypedTokenAndItsGroupsAsRoles() throws Exception {
        BearerParser.Factory bearer = new BearerParser.Factory(verifier, Set.of("api-a"));
        BearerPrincipal p = (BearerPrincipal) bearer.parse(signed(userClaims("")), null);
        assertThat(p.token().user()).isEqualTo(new UserId(user));
        assertThat(p.getGroups()).containsExactlyInAnyOrder("reader", "admin");
        assertThat(p.getSubject()).isEqualTo(user.toString());
    }

    @Test
    void theBearerCheckRefusesAClientToken() throws Exception {
        BearerParser.Factory bearer = new BearerParser.Factory(verifier, Set.of("billing"));
        String token = issuer.issueForClient("orders", List.of(), List.of("billing"), 300).value();
        assertThatThrownBy(() -> bearer.parse(token, null)).isInstanceOf(ParseException.class);
    }

    @Test
    void theBearerCheckRefusesATokenForAnotherAudience() throws Exception {
        BearerParser.Factory bearer = new BearerParser.Factory(verifier, Set.of("sigil"));
        assertThatThrownBy(() -> bearer.parse(signed(userClaims("")), null)).isInstanceOf(ParseException.class);
    }
}
