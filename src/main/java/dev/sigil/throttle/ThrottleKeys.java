package dev.sigil.throttle;

import dev.sigil.id.ClientId;
import dev.sigil.id.UserId;
import dev.sigil.redis.HashTags;
import dev.sigil.web.CallerAddress;

import java.util.List;

/**
 * Redis keys of the throttle, all under {@code sigil:rl:}, each expiring by itself. Addresses appear in their
 * throttle form ({@link CallerAddress#throttleForm()}: an IPv6 address by its /64); usernames only as a digest.
 * <pre>
 * sigil:rl:addr:{address}             string login and registration attempts of an address in the window
 * sigil:rl:cf:{address}               string failed client authentications of an address in the window
 * sigil:rl:mail:{address}             string password-reset and verification requests of an address in the window
 * sigil:rl:mailto:{user}              string mails sent to one account in the last hour
 * sigil:rl:{name}:fail:{address}      hash   failures of (username, address) {n, until}
 * sigil:rl:{name}:user                string failures of the username from anywhere
 * sigil:rl:{name}:busy:{address}      zset   checks in flight for (username, address): reservation id -> expiry ms
 * sigil:rl:{name}:busy                zset   checks in flight for the username
 * sigil:rl:{c:client}:fail:{address}  hash   failures of (client, address) {n, until}, beside the client's record version
 * </pre>
 * {@code name} is the digest of the username's throttle form (or of {@code otp:} and it, for second-factor codes).
 */
final class ThrottleKeys {

    private ThrottleKeys() {
    }

    /** rate-attempt.lua for logins and registrations. */
    static List<String> addressAttempts(CallerAddress address) {
        return List.of("sigil:rl:addr:{" + address.throttleForm() + "}");
    }

    /** rate-attempt.lua for password-reset and verification requests. */
    static List<String> recoveryAttempts(CallerAddress address) {
        return List.of("sigil:rl:mail:{" + address.throttleForm() + "}");
    }

    /** rate-attempt.lua for the mails of one account, under the user's hash tag. */
    static List<String> accountMails(UserId user) {
        return List.of("sigil:rl:mailto:" + HashTags.user(user));
    }

    /** rate-attempt.lua for failed client authentications. */
    static List<String> clientAddressFailures(CallerAddress address) {
        return List.of("sigil:rl:cf:{" + address.throttleForm() + "}");
    }

    /**
     * login-reserve.lua and login-settle.lua: the failures of (username, address), of the username from anywhere,
     * and the checks in flight for each. All share the username's hash tag, so each script touches one slot.
     */
    static List<String> checks(String nameTag, CallerAddress address) {
        String prefix = "sigil:rl:{" + nameTag + "}:";
        String at = address.throttleForm();
        return List.of(prefix + "fail:" + at, prefix + "user", prefix + "busy:" + at, prefix + "busy");
    }

    /** client-failed.lua (and the first key of client-check.lua): failures of (client, address), in the client's slot. */
    static String clientFailures(ClientId client, CallerAddress address) {
        return "sigil:rl:" + HashTags.client(client) + ":fail:" + address.throttleForm();
    }
}
