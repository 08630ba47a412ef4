package dev.sigil.error;

/**
 * PostgreSQL or Redis could not be reached or timed out. Mapped to 503 {@code unavailable} with
 * Retry-After; the cause is logged server-side only.
 */
public class DependencyUnavailableException extends SigilException {
    public final String dependency;

    public DependencyUnavailableException(String dependency, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, "A backing service is temporarily unavailable; retry later", 5, cause);
        this.dependency = dependency;
    }
}
