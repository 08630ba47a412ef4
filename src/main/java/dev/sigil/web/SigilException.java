package dev.sigil.web;

/**
 * A refusal with a stable code and a client-safe detail. Never carries secrets; created without a
 * stack trace because it is an expected outcome, not a bug.
 */
public class SigilException extends RuntimeException {
    public final ErrorCode code;
    /** Seconds for Retry-After, or 0 for none. */
    public final long retryAfterSeconds;

    public SigilException(ErrorCode code, String detail) {
        this(code, detail, 0);
    }

    public SigilException(ErrorCode code, String detail, long retryAfterSeconds) {
        this(code, detail, retryAfterSeconds, null);
    }

    protected SigilException(ErrorCode code, String detail, long retryAfterSeconds, Throwable cause) {
        super(detail, cause, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static SigilException validation(String detail) {
        return new SigilException(ErrorCode.VALIDATION_FAILED, detail);
    }
}
