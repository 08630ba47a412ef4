package dev.sigil.error;

/**
 * The stable, machine-readable {@code code} of every problem+json answer, with the HTTP status and title
 * it maps to. Domain exceptions carry one of these; only {@link ProblemMapper} turns it into HTTP.
 */
public enum ErrorCode {
    INVALID_CREDENTIALS(401, "Invalid credentials"),
    INVALID_REFRESH_TOKEN(401, "Invalid refresh token"),
    REFRESH_TOKEN_REUSED(401, "Refresh token reused"),
    INVALID_TOKEN(401, "Invalid access token"),
    UNAUTHORIZED(401, "Authentication required"),
    /** The password was right; the login goes on at POST /login/mfa with the answer's {@code mfa_token}. */
    MFA_REQUIRED(401, "Second factor required"),
    /** POST /login/mfa: the code (or recovery code) is wrong or was already used. */
    INVALID_MFA_CODE(401, "Invalid second-factor code"),
    /** POST /login/mfa: the mfa_token is unknown, expired, used, or out of attempts: log in again. */
    INVALID_MFA_TOKEN(401, "Invalid MFA token"),
    FORBIDDEN(403, "Forbidden"),
    CROSS_SITE_REQUEST(403, "Cross-site request refused"),
    /**
     * A bearer caller re-authenticating with a wrong current password (PUT /me/password). Not 401: the
     * access token is fine, and a 401 would send clients into a silent refresh (RFC 6750 reserves it for
     * token failures).
     */
    INVALID_CURRENT_PASSWORD(403, "Current password incorrect"),
    /** A bearer caller's code is wrong (step-up, enrolment, removal). Not 401, like invalid_current_password. */
    MFA_CODE_REJECTED(403, "Second-factor code rejected"),
    /** Removing the second factor without a code, from a session that did not step up recently. */
    STEP_UP_REQUIRED(403, "Step-up required"),
    /** Enrolment without a valid enrolment ticket while sigil.mfa.enrolment-ticket-required is on. */
    INVALID_ENROLMENT_TICKET(403, "Enrolment ticket required"),
    /** POST /password-reset/confirm without the code (or with a wrong one) of a user who has a second factor. */
    MFA_CODE_REQUIRED(403, "Second-factor code required"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    CONFLICT(409, "Conflict"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    VALIDATION_FAILED(400, "Validation failed"),
    /** A reset token that is unknown, used or expired: one code for all three. */
    INVALID_RESET_TOKEN(400, "Invalid reset token"),
    /** A verification token that is unknown, used or expired. */
    INVALID_VERIFICATION_TOKEN(400, "Invalid verification token"),
    RATE_LIMITED(429, "Too many requests"),
    UNAVAILABLE(503, "Service unavailable"),
    INTERNAL_ERROR(500, "Internal error");

    public final int status;
    public final String title;

    ErrorCode(int status, String title) {
        this.status = status;
        this.title = title;
    }

    /** The wire form, e.g. {@code invalid_credentials}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
