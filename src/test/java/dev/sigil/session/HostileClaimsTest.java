package dev.sigil.session;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sigil.key.SigningKey;
import dev.sigil.support.Api;
import dev.sigil.support.TestIds;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers.TestUser;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code sub}, {@code sid} and {@code jti} claims of a correctly signed token are identifiers that
 * reach Redis key names in the revocation check; each must have Sigil's exact format or the token is
 * 401 {@code invalid_token}. Each case varies one claim of a token that is otherwise accepted.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class HostileClaimsTest {

    private final TestUser user = TestUsers.create("reader");

    private String token(Consumer<JWTClaimsSet.Builder> change) throws Exception {
        SigningKey key = TestKeys.active();
        long now = System.currentTimeMillis();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(Api.issuer()).subject(user.id().toString()).audience("sigil")
                .issueTime(new Date(now)).expirationTime(new Date(now + 600_000))
                .jwtID(UUID.randomUUID().toString()).claim("sid", TestIds.sessionId())
                .claim("upn", user.username()).claim("groups", List.of("reader")).claim("uv", 0L);
        change.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(key.kid()).build(),
                claims.build());
        jwt.sign(new RSASSASigner(key.privateKey()));
        return jwt.serialize();
    }

    private static void rejected(String token) {
        for (String path : List.of("/me", "/sessions")) {
            Response r = given().auth().oauth2(token).get(path);
            assertThat(r.statusCode()).as(path + " (body %s)", r.asString()).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.jsonPath().getString("code")).isEqualTo("invalid_token");
        }
    }

    @Test
    void theBaselineTokenIsAccepted() throws Exception {
        String token = token(c -> { });
        for (String path : List.of("/me", "/sessions")) {
            given().auth().oauth2(token).get(path).then().statusCode(200);
        }
    }

    @Test
    void sidWithAKeySuffixIsRejected() throws Exception {
        rejected(token(c -> c.claim("sid", TestIds.sessionId() + ":old")));
    }

    @Test
    void sidWithAHashTagIsRejected() throws Exception {
        rejected(token(c -> c.claim("sid", "{" + user.id() + "}")));
    }

    @Test
    void sidWildcardIsRejected() throws Exception {
        rejected(token(c -> c.claim("sid", "*")));
    }

    @Test
    void numericSidIsRejected() throws Exception {
        rejected(token(c -> c.claim("sid", 12345)));
    }

    @Test
    void upperCaseSubOfARealUserIsRejected() throws Exception {
        rejected(token(c -> c.subject(user.id().toString().toUpperCase(Locale.ROOT))));
    }

    @Test
    void subThatIsNoUuidIsRejected() throws Exception {
        rejected(token(c -> c.subject(user.id() + ":nbf")));
    }

    @Test
    void jtiWithAKeySuffixIsRejected() throws Exception {
        rejected(token(c -> c.jwtID(UUID.randomUUID() + ":x")));
    }

    @Test
    void upperCaseJtiIsRejected() throws Exception {
        rejected(token(c -> c.jwtID(UUID.randomUUID().toString().toUpperCase(Locale.ROOT))));
    }

    @Test
    void wildcardJtiIsRejected() throws Exception {
        rejected(token(c -> c.jwtID("*")));
    }

    @Test
    void aTokenCarryingClientIdIsNoUserTokenWhateverElseItCarries() throws Exception {
        // A service token is never a signed-in user on Sigil's own endpoints, even shaped like a user token.
        rejected(token(c -> c.claim("client_id", "orders-svc")));
    }
}
