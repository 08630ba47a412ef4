package dev.sigil.recovery;

import dev.sigil.crypto.Digests;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A reset or verification token: 256 random bits, base64url without padding (43 characters). Only its SHA-256
 * is stored: 256 random bits need no slow hash, nobody can guess them, and a leak of the table reveals no
 * usable token.
 */
public final class MailedToken {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final String value;

    private MailedToken(String value) {
        this.value = value;
    }

    /** A fresh token. */
    public static MailedToken random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new MailedToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** The token as presented, if it has the token's form (anything else matches no token and is not looked up). */
    public static Optional<MailedToken> parse(String presented) {
        return presented != null && FORMAT.matcher(presented).matches() ? Optional.of(new MailedToken(presented)) : Optional.empty();
    }

    /** What the mail carries. */
    public String value() {
        return value;
    }

    /** What is stored. */
    public String hash() {
        return Digests.sha256Url(value.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "MailedToken[]"; // never the token
    }
}
