package dev.sigil.mfa;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;

import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * TOTP as authenticator apps implement it (RFC 6238 over RFC 4226, by java-otp): HMAC-SHA1, 6 digits,
 * 30 s steps, a window of one step either side. Pure logic: the caller passes the instant.
 */
public final class Totp {

    public static final Duration STEP = Duration.ofSeconds(30);
    public static final int DIGITS = 6;
    /** RFC 4226 recommends 160 bits: the size of an HMAC-SHA1 key. */
    public static final int SECRET_BYTES = 20;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TimeBasedOneTimePasswordGenerator generator;

    public Totp() {
        this(TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1, DIGITS);
    }

    /** Other algorithms and lengths exist only for the RFC 6238 test vectors. */
    Totp(String algorithm, int digits) {
        this.generator = new TimeBasedOneTimePasswordGenerator(STEP, digits, algorithm);
    }

    public static byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /** The step (RFC 6238's T) that {@code at} falls into. */
    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP.getSeconds());
    }

    /** The code of {@code at}. */
    public String code(byte[] secret, Instant at) {
        try {
            return generator.generateOneTimePasswordString(key(secret), at, Locale.ROOT);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The step whose code {@code code} is, among the step of {@code now} and the one before and after;
     * empty when none. All three are computed and compared in constant time, whatever matches.
     */
    public OptionalLong matchingStep(byte[] secret, String code, Instant now) {
        byte[] presented = code.getBytes(StandardCharsets.US_ASCII);
        long matched = -1;
        for (int d = -1; d <= 1; d++) {
            Instant at = now.plus(STEP.multipliedBy(d));
            boolean equal = MessageDigest.isEqual(code(secret, at).getBytes(StandardCharsets.US_ASCII), presented);
            matched = equal ? step(at) : matched;
        }
        return matched < 0 ? OptionalLong.empty() : OptionalLong.of(matched);
    }

    /** Whether {@code code} has the form of a code at all (six ASCII digits). */
    public static boolean wellFormed(String code) {
        return code != null && code.matches("[0-9]{" + DIGITS + "}");
    }

    /** The otpauth:// URI (Google Authenticator's key URI format) that authenticator apps scan. */
    public static String uri(String issuer, String account, byte[] secret) {
        String label = enc(issuer) + ":" + enc(account);
        return "otpauth://totp/" + label + "?secret=" + base32(secret) + "&issuer=" + enc(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP.getSeconds();
    }

    /** RFC 4648 base32 without padding, as authenticator apps expect the secret. */
    static String base32(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private SecretKeySpec key(byte[] secret) {
        return new SecretKeySpec(secret, generator.getAlgorithm());
    }
}
