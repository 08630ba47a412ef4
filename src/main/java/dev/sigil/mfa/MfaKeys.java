package dev.sigil.mfa;

import dev.sigil.id.UserId;
import dev.sigil.redis.HashTags;

/**
 * Redis keys of the second factor. Per-user keys carry the user's hash tag like the session keys
 * ({@code sigil:{uid}:}); an mfa_token names no user until it is looked up, so its key is its own slot.
 * <pre>
 * sigil:{uid}:totp:{step}   string  a TOTP step already accepted for this user (SET NX PX: no replay)
 * sigil:{uid}:mfa:ticket    string  the user's enrolment ticket from an admin (SHA-256, base64url), single use;
 *                                   sigil.mfa.enrolment-ticket-lifetime; a new ticket replaces it
 * sigil:mfat:{digest}       hash    a pending login's mfa_token (SHA-256 of the token): user, password
 *                                   change time, username, attempts left; 5 minutes
 * </pre>
 */
final class MfaKeys {

    private MfaKeys() {
    }

    static String usedStep(UserId user, long step) {
        return "sigil:" + HashTags.user(user) + ":totp:" + step;
    }

    static String enrolmentTicket(UserId user) {
        return "sigil:" + HashTags.user(user) + ":mfa:ticket";
    }

    /** {@code digest} is base64url of SHA-256, computed here from the token: never the raw token. */
    static String mfaToken(String digest) {
        return "sigil:mfat:" + digest;
    }
}
