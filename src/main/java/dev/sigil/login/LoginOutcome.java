package dev.sigil.login;

import dev.sigil.session.TokenGrant;

/** What a right password leads to: a session, or, for a user with a second factor, the step that comes first. */
sealed interface LoginOutcome {

    /** Logged in: the session's tokens. */
    record Session(TokenGrant grant) implements LoginOutcome {
    }

    /** The user has a second factor: no session yet, only an mfa_token for POST /login/mfa. */
    record MfaRequired(String mfaToken) implements LoginOutcome {
        @Override
        public String toString() {
            return "MfaRequired[]"; // never the token
        }
    }
}
