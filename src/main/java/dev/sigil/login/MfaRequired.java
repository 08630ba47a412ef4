package dev.sigil.login;

import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;

/** The password was right and the user has a second factor: no session yet, only an mfa_token for POST /login/mfa. */
final class MfaRequired extends SigilException {

    final transient String mfaToken;

    MfaRequired(String mfaToken) {
        super(ErrorCode.MFA_REQUIRED, "Enter the code from your authenticator app (or a recovery code) at POST /login/mfa");
        this.mfaToken = mfaToken;
    }
}
