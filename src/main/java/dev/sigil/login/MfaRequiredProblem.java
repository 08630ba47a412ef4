package dev.sigil.login;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sigil.error.ErrorCode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The problem+json of 401 mfa_required, with the mfa_token to continue at POST /login/mfa. */
@RegisterForReflection // serialised from a Response entity, which native-image cannot discover
public record MfaRequiredProblem(String type, String title, int status, String detail, String code,
                                 @JsonProperty("mfa_token") String mfaToken,
                                 @JsonProperty("mfa_token_expires_in") long expiresIn) {

    static MfaRequiredProblem of(LoginOutcome.MfaRequired outcome, long expiresIn) {
        ErrorCode c = ErrorCode.MFA_REQUIRED;
        return new MfaRequiredProblem("urn:sigil:problem:" + c.code(), c.title, c.status,
                "Enter the code from your authenticator app (or a recovery code) at POST /login/mfa", c.code(), outcome.mfaToken(), expiresIn);
    }

    @Override
    public String toString() {
        return "MfaRequiredProblem[]";
    }
}
