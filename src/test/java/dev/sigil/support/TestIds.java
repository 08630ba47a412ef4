package dev.sigil.support;

import java.security.SecureRandom;
import java.util.Base64;

/** Identifiers in Sigil's formats, for tokens a test mints itself. */
public final class TestIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestIds() {
    }

    /** A session id in the format of the {@code sid} claim (16 random bytes, unpadded base64url) that no session has. */
    public static String sessionId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
