package dev.sigil.login;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** POST /login/mfa body: the mfa_token of the 401 mfa_required answer and a TOTP or recovery code. */
public record MfaLoginRequest(
        @JsonProperty("mfa_token") @NotNull @Size(min = 1, max = 64) String mfaToken,
        @NotNull @Size(min = 1, max = 32) String code) {

    @Override
    public String toString() {
        return "MfaLoginRequest[]"; // never the token or code
    }
}
