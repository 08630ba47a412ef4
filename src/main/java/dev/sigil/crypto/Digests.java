package dev.sigil.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The one SHA-256 + unpadded base64url that refresh-token hashes, throttle keys and ETags share. */
public final class Digests {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private Digests() {
    }

    public static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** base64url (no padding) of SHA-256 of {@code input}: 43 characters. */
    public static String sha256Url(byte[] input) {
        return B64URL.encodeToString(sha256(input));
    }

    /** A strong ETag for {@code body}: its SHA-256, base64url, quoted. */
    public static String etag(byte[] body) {
        return "\"" + sha256Url(body) + "\"";
    }
}
