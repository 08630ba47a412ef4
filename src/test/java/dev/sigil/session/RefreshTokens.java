package dev.sigil.session;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.restassured.response.Response;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * The test's own reading of the refresh token format, {@code base64url(2 | user id | session id | 256-bit secret |
 * generation | 128-bit tag)}, written independently of the production code, to forge tokens and to find what
 * Redis should hold.
 */
final class RefreshTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private RefreshTokens() {
    }

    /** The session id the token routes to, as in the {@code sid} claim. */
    static String sid(String token) {
        return B64.encodeToString(Arrays.copyOfRange(raw(token), 17, 33));
    }

    /** What Redis should store for the token: SHA-256 of its secret, base64url. */
    static String hash(String token) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(raw(token), 33, 65)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A well-formed token for the same user and session as {@code token} but with a secret the server never issued. */
    static String forgedSecret(String token) {
        byte[] raw = raw(token);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        System.arraycopy(secret, 0, raw, 33, 32);
        return B64.encodeToString(raw);
    }

    /** A well-formed token (generation 1, a tag no key made) of a user and session that do not exist. */
    static String unknown() {
        UUID user = UUID.randomUUID();
        byte[] ids = new byte[48];
        byte[] tag = new byte[16];
        RANDOM.nextBytes(ids);
        RANDOM.nextBytes(tag);
        return B64.encodeToString(ByteBuffer.allocate(85).put((byte) 2)
                .putLong(user.getMostSignificantBits()).putLong(user.getLeastSignificantBits()).put(ids).putInt(1).put(tag).array());
    }

    static JWTClaimsSet claims(String accessToken) {
        try {
            return SignedJWT.parse(accessToken).getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code sid} claim of a login or refresh response's access token. */
    static String sidOf(Response r) {
        return (String) claims(r.jsonPath().getString("access_token")).getClaim("sid");
    }

    private static byte[] raw(String token) {
        byte[] raw = Base64.getUrlDecoder().decode(token);
        if (raw.length != 85 || raw[0] != 2) {
            throw new IllegalArgumentException("not a refresh token");
        }
        return raw;
    }
}
