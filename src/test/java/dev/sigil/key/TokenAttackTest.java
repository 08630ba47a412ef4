package dev.sigil.key;

import dev.sigil.support.Api;
import dev.sigil.support.TestIds;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import com.nimbusds.jose.jwk.RSAKey;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile bearer tokens against Sigil's own bearer endpoints (GET /me and GET /sessions). Every case
 * must end as 401 {@code invalid_token} problem+json with an RFC 6750 challenge, never a 5xx.
 * <p>
 * Tokens are assembled here byte by byte (header JSON, payload JSON, signature), so a case can carry
 * what no JOSE library would emit: duplicate keys, a string {@code exp}, {@code alg: none}. Where the
 * property under test is not the signature, the token is signed with the REAL active key, so the
 * rejection can only come from that property ({@link #theBaselineTokenIsAccepted} proves the rest is valid).
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class TokenAttackTest {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final TestUser user = TestUsers.create("reader");

    // ---- token assembly --------------------------------------------------------------------------

    private static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String header(String kid) {
        return "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
    }

    private static String activeHeader() {
        return header(TestKeys.active().kid());
    }

    /** Valid claims of {@link #user}, in the JSON Sigil writes, with {@code extra} members appended verbatim. */
    private String payload(String extra) {
        long now = System.currentTimeMillis() / 1000;
        return payload(now, now + 600, extra);
    }

    private String payload(long iat, long exp, String extra) {
        return "{\"iss\":\"" + Api.issuer() + "\",\"sub\":\"" + user.id() + "\",\"aud\":[\"sigil\"],"
                + "\"iat\":" + iat + ",\"exp\":" + exp + ",\"jti\":\"" + UUID.randomUUID() + "\","
                + "\"sid\":\"" + TestIds.sessionId() + "\",\"upn\":\"" + user.username() + "\","
                + "\"groups\":[\"reader\"],\"uv\":0" + extra + "}";
    }

    private static String rs256(PrivateKey key, String headerJson, String payloadJson) throws Exception {
        String input = b64(headerJson) + "." + b64(payloadJson);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(s.sign());
    }

    /** Signed with the real active key: only the header or payload under test can make it fail. */
    private static String realKey(String headerJson, String payloadJson) throws Exception {
        return rs256(TestKeys.active().privateKey(), headerJson, payloadJson);
    }

    /** Signed with the real active key over the segments exactly as given (padded or not). */
    private static String realKeyOver(String headerSegment, String payloadSegment) throws Exception {
        String input = headerSegment + "." + payloadSegment;
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(TestKeys.active().privateKey());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(s.sign());
    }

    /** Padded base64url of JSON whose length is made not a multiple of 3 (by trailing spaces), so padding is due. */
    private static String padded(String json) {
        String j = json;
        while (j.getBytes(StandardCharsets.UTF_8).length % 3 == 0) {
            j = j + " ";
        }
        String out = Base64.getUrlEncoder().encodeToString(j.getBytes(StandardCharsets.UTF_8));
        assertThat(out).endsWith("=");
        return out;
    }

    /** The same bytes with a different last character: only the unused low bits of the last 6 differ. */
    private static String nonZeroUnusedBits(String segment) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(segment.charAt(segment.length() - 1));
        return segment.substring(0, segment.length() - 1) + alphabet.charAt(last | 1);
    }

    private static String hs256(byte[] secret, String headerJson, String payloadJson) throws Exception {
        String input = b64(headerJson) + "." + b64(payloadJson);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static KeyPair attackerKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static RSAKey jwk(KeyPair pair) throws Exception {
        RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).build();
        return new RSAKey.Builder(key).keyID(key.computeThumbprint().toString()).build();
    }

    private static String pem(RSAPublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    // ---- assertion -------------------------------------------------------------------------------

    /** Both bearer endpoints answer 401 invalid_token problem+json with an RFC 6750 challenge. */
    private static void rejected(String token) {
        for (String path : List.of("/me", "/sessions")) {
            Response r = given().header("Authorization", "Bearer " + token).get(path);
            assertThat(r.statusCode()).as(path + " status (body %s)", r.asString()).isEqualTo(401);
            assertThat(r.contentType()).as(path + " content type").startsWith("application/problem+json");
            assertThat(r.jsonPath().getString("code")).as(path + " code").isEqualTo("invalid_token");
            assertThat(r.header("WWW-Authenticate")).as(path + " challenge")
                    .startsWith("Bearer error=\"invalid_token\", error_description=\"");
        }
    }

    private static void accepted(String token) {
        for (String path : List.of("/me", "/sessions")) {
            given().header("Authorization", "Bearer " + token).get(path).then().statusCode(200);
        }
    }

    // ---- the cases -------------------------------------------------------------------------------

    @Test
    void theBaselineTokenIsAccepted() throws Exception {
        accepted(realKey(activeHeader(), payload("")));
    }

    @Test
    void algNoneWithAnEmptySignatureIsRejected() {
        rejected(b64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + TestKeys.active().kid() + "\"}") + "." + b64(payload("")) + ".");
    }

    @Test
    void algNoneWithoutASignaturePartIsRejected() {
        rejected(b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(payload("")));
    }

    @Test
    void algNoneCarryingTheSignatureOfAValidTokenIsRejected() throws Exception {
        String signature = realKey(activeHeader(), payload("")).split("\\.")[2];
        rejected(b64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + TestKeys.active().kid() + "\"}") + "." + b64(payload("")) + "." + signature);
    }

    @Test
    void hs256KeyedWithTheEncodedPublicKeyIsRejected() throws Exception {
        byte[] secret = TestKeys.active().publicKey().getEncoded();
        rejected(hs256(secret, "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + TestKeys.active().kid() + "\"}", payload("")));
    }

    @Test
    void hs256KeyedWithThePemOfThePublicKeyIsRejected() throws Exception {
        byte[] secret = pem(TestKeys.active().publicKey()).getBytes(StandardCharsets.US_ASCII);
        rejected(hs256(secret, "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + TestKeys.active().kid() + "\"}", payload("")));
    }

    @Test
    void rs256ByAKeyOutsideTheJwksNamingItsOwnKidIsRejected() throws Exception {
        KeyPair attacker = attackerKeys();
        rejected(rs256(attacker.getPrivate(), header(jwk(attacker).getKeyID()), payload("")));
    }

    @Test
    void rs256ByAKeyOutsideTheJwksNamingTheActiveKidIsRejected() throws Exception {
        rejected(rs256(attackerKeys().getPrivate(), activeHeader(), payload("")));
    }

    @Test
    void unknownKidIsRejected() throws Exception {
        rejected(realKey(header("no-such-key"), payload("")));
    }

    @Test
    void pathLikeKidIsRejected() throws Exception {
        rejected(realKey(header("../../etc/passwd"), payload("")));
    }

    @Test
    void sqlLikeKidIsRejected() throws Exception {
        rejected(realKey(header("' OR 1=1 --"), payload("")));
    }

    @Test
    void hugeKidIsRejected() throws Exception {
        rejected(realKey(header("k".repeat(8192)), payload("")));
    }

    @Test
    void missingKidIsRejected() throws Exception {
        rejected(realKey("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", payload("")));
    }

    /** jku, x5u: a verifier that fetched them would meet this socket. Sigil must neither trust nor fetch. */
    private void assertRemoteKeyHeaderIgnored(String member) throws Exception {
        KeyPair attacker = attackerKeys();
        try (ServerSocket trap = new ServerSocket(0)) {
            String url = "http://127.0.0.1:" + trap.getLocalPort() + "/keys";
            String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + jwk(attacker).getKeyID() + "\",\"" + member + "\":\"" + url + "\"}";
            rejected(rs256(attacker.getPrivate(), header, payload("")));
            String withActiveKid = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + TestKeys.active().kid() + "\",\"" + member + "\":\"" + url + "\"}";
            rejected(rs256(attacker.getPrivate(), withActiveKid, payload("")));

            trap.setSoTimeout(500);
            assertThatThrownBy(() -> {
                try (Socket s = trap.accept()) {
                    // reaching here means Sigil connected to the attacker's URL
                }
            }).as("connection to the %s URL", member).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void jkuHeaderIsIgnoredAndNeverFetched() throws Exception {
        assertRemoteKeyHeaderIgnored("jku");
    }

    @Test
    void x5uHeaderIsIgnoredAndNeverFetched() throws Exception {
        assertRemoteKeyHeaderIgnored("x5u");
    }

    @Test
    void embeddedJwkOfTheSigningAttackerKeyIsIgnored() throws Exception {
        KeyPair attacker = attackerKeys();
        RSAKey key = jwk(attacker);
        rejected(rs256(attacker.getPrivate(), "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + key.getKeyID()
                + "\",\"jwk\":" + key.toJSONString() + "}", payload("")));
        rejected(rs256(attacker.getPrivate(), "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"jwk\":" + key.toJSONString() + "}", payload("")));
    }

    @Test
    void critWithAnUnknownExtensionIsRejected() throws Exception {
        rejected(realKey("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + TestKeys.active().kid()
                + "\",\"crit\":[\"x-sigil-unknown\"],\"x-sigil-unknown\":true}", payload("")));
    }

    @Test
    void missingExpIsRejected() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        rejected(realKey(activeHeader(), payload(now, now + 600, "").replaceFirst(",\"exp\":\\d+", "")));
    }

    @Test
    void stringTypedExpIsRejected() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        rejected(realKey(activeHeader(), payload(now, now + 600, "").replaceFirst("\"exp\":(\\d+)", "\"exp\":\"$1\"")));
    }

    @Test
    void nbfBeyondTheClockSkewIsRejected() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        rejected(realKey(activeHeader(), payload(",\"nbf\":" + (now + 120))));
    }

    @Test
    void iatBeyondTheClockSkewIsRejected() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        rejected(realKey(activeHeader(), payload(now + 120, now + 600, "")));
    }

    @Test
    void iatWithinTheClockSkewIsAccepted() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        accepted(realKey(activeHeader(), payload(now + 10, now + 600, "")));
    }

    @Test
    void typAtJwtIsRejected() throws Exception {
        rejected(realKey("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"" + TestKeys.active().kid() + "\"}", payload("")));
    }

    @Test
    void typJweIsRejected() throws Exception {
        rejected(realKey("{\"alg\":\"RS256\",\"typ\":\"JWE\",\"kid\":\"" + TestKeys.active().kid() + "\"}", payload("")));
    }

    @Test
    void missingTypIsRejected() throws Exception {
        rejected(realKey("{\"alg\":\"RS256\",\"kid\":\"" + TestKeys.active().kid() + "\"}", payload("")));
    }

    @Test
    void aRefreshTokenWhereAnAccessTokenBelongsIsRejected() {
        String refresh = Api.refreshCookie(Api.loggedIn(user));
        assertThat(refresh).isNotBlank();
        rejected(refresh);
    }

    @Test
    void garbageIsRejected() {
        for (String garbage : List.of("x", "a.b", "a.b.c", "...", "e30.e30.", "e30.e30.e30", "%00", "Bearer",
                b64("{\"alg\":\"RS256\"") + ".e30.AAAA", "ey" + "A".repeat(500))) {
            rejected(garbage);
        }
    }

    @Test
    void aTwelveKibTokenIsRejectedAsInvalid() throws Exception {
        String token = rs256(attackerKeys().getPrivate(), activeHeader(), payload(",\"pad\":\"" + "p".repeat(9000) + "\""));
        assertThat(token.length()).isBetween(11 * 1024, 13 * 1024);
        rejected(token);
    }

    @Test
    void aSixtyFourKibTokenIsRefusedByTheHttpLayer() throws Exception {
        String token = realKey(activeHeader(), payload(",\"pad\":\"" + "p".repeat(48 * 1024) + "\""));
        assertThat(token.length()).isGreaterThanOrEqualTo(64 * 1024);
        for (String path : List.of("/me", "/sessions")) {
            try {
                Response r = given().header("Authorization", "Bearer " + token).get(path);
                assertThat(r.statusCode()).as(path).isEqualTo(431);
            } catch (Exception closedEarly) { // REST Assured rethrows the socket's IOException undeclared
                // The server answered 431 and closed before the client had written the whole request: the
                // client then sees a broken pipe or a reset instead of the answer. Which one depends on timing;
                // either way the HTTP layer refused the token, and no other status was ever sent.
                assertThat(closedEarly).isInstanceOf(java.net.SocketException.class);
                assertThat(closedEarly.getMessage()).containsAnyOf("Broken pipe", "Connection reset");
            }
        }
    }

    @Test
    void duplicateAlgInTheHeaderIsRejected() throws Exception {
        rejected(realKey("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + TestKeys.active().kid() + "\",\"alg\":\"RS256\"}", payload("")));
    }

    @Test
    void duplicateKidInTheHeaderIsRejected() throws Exception {
        rejected(realKey("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"other\",\"kid\":\"" + TestKeys.active().kid() + "\"}", payload("")));
    }

    @Test
    void duplicateSubInThePayloadIsRejected() throws Exception {
        TestUser victim = TestUsers.create("admin");
        rejected(realKey(activeHeader(), payload(",\"sub\":\"" + victim.id() + "\"")));
    }

    @Test
    void duplicateGroupsInThePayloadIsRejected() throws Exception {
        rejected(realKey(activeHeader(), payload(",\"groups\":[\"admin\"]")));
    }

    // ---- canonical encoding: unpadded base64url with zero unused bits, in all three segments ------

    @Test
    void theBaselineOverUnpaddedSegmentsIsAccepted() throws Exception {
        accepted(realKeyOver(b64(activeHeader()), b64(payload(""))));
    }

    @Test
    void aPaddedSignatureIsRejected() throws Exception {
        String token = realKey(activeHeader(), payload(""));
        // RS256 with a 2048-bit key: 256 bytes, so the padded form ends in "==".
        String padded = token + "==";
        assertThat(Base64.getUrlDecoder().decode(padded.split("\\.")[2])).hasSize(256);
        rejected(padded);
    }

    @Test
    void aPaddedHeaderIsRejected() throws Exception {
        rejected(realKeyOver(padded(activeHeader()), b64(payload(""))));
    }

    @Test
    void aPaddedPayloadIsRejected() throws Exception {
        rejected(realKeyOver(b64(activeHeader()), padded(payload(""))));
    }

    @Test
    void aSignatureWithNonZeroUnusedBitsIsRejected() throws Exception {
        String[] parts = realKey(activeHeader(), payload("")).split("\\.");
        String variant = nonZeroUnusedBits(parts[2]);
        assertThat(Base64.getUrlDecoder().decode(variant)).isEqualTo(Base64.getUrlDecoder().decode(parts[2]));
        rejected(parts[0] + "." + parts[1] + "." + variant);
    }

    @Test
    void aPayloadWithNonZeroUnusedBitsIsRejected() throws Exception {
        String payload = payload("");
        while (payload.getBytes(StandardCharsets.UTF_8).length % 3 == 0) {
            payload = payload + " ";
        }
        String segment = nonZeroUnusedBits(b64(payload));
        assertThat(Base64.getUrlDecoder().decode(segment)).isEqualTo(payload.getBytes(StandardCharsets.UTF_8));
        rejected(realKeyOver(b64(activeHeader()), segment));
    }
}
