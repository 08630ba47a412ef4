package dev.sigil.token;

/**
 * Why {@link AccessTokenVerifier} refused a token: a fixed message, never token content. When jose4j refused it,
 * the cause is a redacted {@code InvalidJwtException} that keeps only jose4j's error codes (they tell an expired
 * token apart for the bearer challenge).
 */
public class RejectedToken extends Exception {

    RejectedToken(String reason, Throwable cause) {
        // No stack trace: hostile input is refused often, and where it was refused is always the verifier.
        super(reason, cause, false, false);
    }

    RejectedToken(String reason) {
        this(reason, null);
    }
}
