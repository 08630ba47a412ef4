package dev.sigil.login;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The bodies of the passkey sign-in endpoints. */
public final class PasskeyLoginRequest {

    private PasskeyLoginRequest() {
    }

    /** POST /login/passkey/options: a username is optional (none: any discoverable credential, conditional UI). */
    public record Options(@Size(min = 1, max = 64) String username) {
    }

    /** POST /login/passkey: the ceremony and credential.toJSON() of navigator.credentials.get(). */
    public record Answer(@NotNull @Size(max = 64) String ceremony, @NotNull JsonNode credential) {
        @Override
        public String toString() {
            return "Answer[]";
        }
    }

    /** POST /login/mfa/passkey/options. */
    public record SecondFactorOptions(@JsonProperty("mfa_token") @NotNull @Size(min = 1, max = 64) String mfaToken) {
        @Override
        public String toString() {
            return "SecondFactorOptions[]";
        }
    }
}
