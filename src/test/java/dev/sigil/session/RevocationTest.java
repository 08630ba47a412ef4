package dev.sigil.session;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sigil.id.TokenId;
import dev.sigil.id.UserId;
import dev.sigil.key.SigningKey;
import dev.sigil.support.Api;
import dev.sigil.support.TestIds;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers.TestUser;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** GET /me is revocation-aware: a revoked session, a deny-listed jti and a user version that moved on each end a valid token. */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class RevocationTest {

    @Inject
    SessionStore store;

    private static void revoked(String accessToken) {
        Api.me(accessToken).then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("invalid_token"))
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"The access token has been revoked\"");
    }

    @Test
    void accessTokenOfARevokedSessionIsRejected() {
        TestUser user = TestUsers.create();
        Response a = Api.loggedIn(user);
        Response b = Api.loggedIn(user);
        Api.me(Api.accessToken(a)).then().statusCode(200);

        given().auth().oauth2(Api.accessToken(b)).delete("/sessions/" + RefreshTokens.sidOf(a)).then().statusCode(204);

        revoked(Api.accessToken(a));
        Api.me(Api.accessToken(b)).then().statusCode(200);
    }

    @Test
    void denyListedAccessTokenIsRejected() {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        String token = Api.accessToken(login);
        Response sibling = Api.refresh(Api.refreshCookie(login)); // same session, another jti
        JWTClaimsSet claims = RefreshTokens.claims(token);
        long exp = claims.getExpirationTime().toInstant().getEpochSecond();

        store.denyAccessToken(dev.sigil.id.UserId.of(user.id()), dev.sigil.id.TokenId.parse(claims.getJWTID()).orElseThrow(), exp).await().atMost(Duration.ofSeconds(5));

        revoked(token);
        Api.me(Api.accessToken(sibling)).then().statusCode(200);
        // The deny-list entry lives until the token expires (plus clock skew), not forever.
        long ttl = (Long) TestRedis.call("PTTL", TestRedis.prefix(user.id()) + "rjti:" + claims.getJWTID());
        assertThat(ttl).isBetween(900_000L, 930_000L);
    }

    /** A token like Sigil's for a session that was never revoked (it never existed), with user version {@code uv} (null: none). */
    private static String minted(TestUser user, Long uv) throws Exception {
        SigningKey key = TestKeys.active();
        long iat = System.currentTimeMillis() / 1000;
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(Api.issuer()).subject(user.id().toString()).audience("sigil")
                .issueTime(new Date(iat * 1000)).expirationTime(new Date((iat + 600) * 1000))
                .jwtID(UUID.randomUUID().toString()).claim("sid", TestIds.sessionId())
                .claim("upn", user.username()).claim("groups", List.of("reader"));
        if (uv != null) {
            claims.claim("uv", uv);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(key.kid()).build(),
                claims.build());
        jwt.sign(new RSASSASigner(key.privateKey()));
        return jwt.serialize();
    }

    @Test
    void logOutEverywhereEndsEveryAccessTokenIssuedSoFarThroughTheUserVersion() throws Exception {
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        // Its session is never revoked: only the user's version can reject it.
        String earlier = minted(user, 0L);
        Api.me(earlier).then().statusCode(200);

        given().auth().oauth2(Api.accessToken(login)).delete("/sessions").then().statusCode(204);

        revoked(earlier);
        revoked(Api.accessToken(login));
        assertThat(TestRedis.call("GET", TestRedis.prefix(user.id()) + "ver")).isEqualTo("1");
        Api.me(minted(user, 1L)).then().statusCode(200);
        revoked(minted(user, 2L));
    }

    @Test
    void anAccessTokenWithoutAUserVersionIsRefused() throws Exception {
        TestUser user = TestUsers.create();
        Api.me(minted(user, 0L)).then().statusCode(200);
        Api.me(minted(user, null)).then().statusCode(401);
    }

    @Test
    void aUserVersionClaimThatIsNotANonNegativeIntegerIsRefused() throws Exception {
        TestUser user = TestUsers.create();
        SigningKey key = TestKeys.active();
        for (Object bad : List.of(-1L, 0.5, "0", List.of(0L))) {
            long iat = System.currentTimeMillis() / 1000;
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(Api.issuer()).subject(user.id().toString()).audience("sigil")
                    .issueTime(new Date(iat * 1000)).expirationTime(new Date((iat + 600) * 1000))
                    .jwtID(UUID.randomUUID().toString()).claim("sid", "minted").claim("uv", bad).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(key.kid()).build(), claims);
            jwt.sign(new RSASSASigner(key.privateKey()));
            Api.me(jwt.serialize()).then().statusCode(401);
        }
    }

    @Test
    void loginRightAfterLogOutEverywhereGetsAWorkingToken() {
        TestUser user = TestUsers.create();
        String old = Api.accessToken(Api.loggedIn(user));
        given().auth().oauth2(old).delete("/sessions").then().statusCode(204);

        Response fresh = Api.loggedIn(user);

        Api.me(Api.accessToken(fresh)).then().statusCode(200);
        Api.refresh(Api.refreshCookie(fresh)).then().statusCode(200);
        revoked(old);
    }
}
