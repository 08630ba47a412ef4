package dev.sigil.error;

/**
 * A refusal with a stable code and a client-safe detail. Never carries secrets; created without a
 * stack trace because it is an expected outcome, not a bug.
 */
public class SigilException extends RuntimeException {
    public final ErrorCode code;
    /** Seconds for Retry-After, or 0 for none. */
    public final long retryAfterSeconds;
    /** Extra response headers the feature that refused wants sent (say, a Set-Cookie that clears its cookie). */
    private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>(1);

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

    /** Adds a header to the problem answer; the error model stays ignorant of what it means. */
    public SigilException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public java.util.Map<String, String> headers() {
        return java.util.Collections.unmodifiableMap(headers);
    }

    public static SigilException validation(String detail) {
        return new SigilException(ErrorCode.VALIDATION_FAILED, detail);
    }
}
