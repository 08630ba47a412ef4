package dev.sigil.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Client secrets: 256 bits from a CSPRNG, shown once as base64url, stored as a SHA-256 digest. A slow
 * password hash would add nothing: it slows guessing of low-entropy secrets, and 2^256 candidates
 * cannot be searched at any speed; a fast digest keeps a grant cheap.
 */
public final class ClientSecret {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private ClientSecret() {
    }

    /** A new secret (43 base64url characters). */
    public static String generate() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }

    public static String digest(String secret) {
        return B64.encodeToString(sha256(secret));
    }

    /** Compares the digest of {@code secret} with {@code storedDigest} in constant time; false when none is stored. */
    static boolean matches(String secret, String storedDigest) {
        byte[] presented = sha256(secret);
        byte[] stored;
        try {
            stored = storedDigest == null ? new byte[32] : Base64.getUrlDecoder().decode(storedDigest);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(presented, stored) && storedDigest != null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
