package dev.sigil.error;

/**
 * An RFC 6749 section 5.2 error of the /oauth2/* endpoints, answered by {@link ProblemMapper} as JSON
 * {@code error} and {@code error_description} (not problem+json). Descriptions are fixed strings,
 * never input. Created without a stack trace: an expected outcome, not a bug.
 */
public class OAuthError extends RuntimeException {

    public final String error;
    public final int status;
    /** Seconds for Retry-After, or 0 for none. */
    public final long retryAfterSeconds;

    public OAuthError(String error, int status, String description, long retryAfterSeconds) {
        this(error, status, description, retryAfterSeconds, null);
    }

    /** {@code outage}: the dependency outage this answers, so that the log line names it (never shown to the caller). */
    private OAuthError(String error, int status, String description, long retryAfterSeconds, DependencyUnavailableException outage) {
        super(description, outage, false, false);
        this.error = error;
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The dependency outage this 503 answers, or null (load, or not a 503). */
    DependencyUnavailableException outage() {
        return getCause() instanceof DependencyUnavailableException d ? d : null;
    }

    /** 401 with {@code WWW-Authenticate: Basic}: unknown client, wrong secret, bad assertion, disabled client alike. */
    public static OAuthError invalidClient() {
        return new OAuthError("invalid_client", 401, "Client authentication failed", 0);
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError("invalid_request", 400, description, 0);
    }

    public static OAuthError invalidScope(String description) {
        return new OAuthError("invalid_scope", 400, description, 0);
    }

    /** RFC 8707 section 2: a {@code resource} (or {@code audience}) the client may not request, or malformed. */
    public static OAuthError invalidTarget(String description) {
        return new OAuthError("invalid_target", 400, description, 0);
    }

    public static OAuthError unsupportedGrantType() {
        return new OAuthError("unsupported_grant_type", 400, "Only grant_type=client_credentials and urn:ietf:params:oauth:grant-type:token-exchange are supported", 0);
    }

    public static OAuthError unauthorizedClient(String description) {
        return new OAuthError("unauthorized_client", 400, description, 0);
    }

    /**
     * Use with {@code onFailure().transform(...)} on the /oauth2/* endpoints: a dependency outage becomes
     * 503 {@code temporarily_unavailable}, and so does load (checks in flight); a lockout 429 {@code rate_limited} (both with
     * Retry-After), other refusals {@code invalid_request}; bugs stay bugs.
     */
    public static Throwable from(Throwable e) {
        if (e instanceof OAuthError) {
            return e;
        }
        DependencyUnavailableException outage = ProblemMapper.find(e, DependencyUnavailableException.class);
        if (outage == null && Outages.isConnectivity(e)) {
            // Every Redis call passes through Outages.redis: a bare connectivity failure is PostgreSQL's (see ProblemMapper#unexpected).
            outage = new DependencyUnavailableException("postgresql", e);
        }
        if (outage != null) {
            return new OAuthError("temporarily_unavailable", 503, "A backing service is temporarily unavailable; retry later", 5, outage);
        }
        if (e instanceof SigilException s && s.code == ErrorCode.UNAVAILABLE) { // load: checks in flight, hashes queued
            return new OAuthError("temporarily_unavailable", 503, s.getMessage(), s.retryAfterSeconds);
        }
        if (e instanceof SigilException s && s.code == ErrorCode.RATE_LIMITED) {
            return new OAuthError("rate_limited", 429, "Too many failed attempts; retry later", s.retryAfterSeconds);
        }
        if (e instanceof SigilException s && s.code.status == 400) {
            return invalidRequest(s.getMessage());
        }
        return e;
    }
}
