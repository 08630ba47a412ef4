package dev.sigil.login;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * POST /login/mfa body: the mfa_token of the 401 mfa_required answer and either a TOTP or recovery code, or a
 * passkey's ceremony (from POST /login/mfa/passkey/options) with credential.toJSON().
 */
public record MfaLoginRequest(
        @JsonProperty("mfa_token") @NotNull @Size(min = 1, max = 64) String mfaToken,
        @Size(min = 1, max = 32) String code,
        @Size(max = 64) String ceremony,
        JsonNode credential) {

    /** Whether the second factor is a passkey (else a code); null when the body has neither or both. */
    Boolean passkey() {
        boolean passkey = ceremony != null && credential != null && credential.isObject();
        return passkey == (code != null) ? null : passkey;
    }

    @Override
    public String toString() {
        return "MfaLoginRequest[]"; // never the token or code
    }
}
