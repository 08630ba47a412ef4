package dev.sigil.redis;

import dev.sigil.id.ClientId;
import dev.sigil.id.UserId;

/**
 * The hash tags that keep the keys a script touches in one slot (atomic on one Redis, unchanged on Redis
 * Cluster). Several areas key state by the same user or client, and their keys must land in one slot when a
 * script reads them together, so the tags are spelled here once; each area names its own keys from them
 * (session.SessionKeys, mfa.MfaKeys, client.ClientTokenStore, throttle.ThrottleKeys).
 */
public final class HashTags {

    private HashTags() {
    }

    /** Every key of one user: sessions, the user's version, the second factor's replay and ticket state. */
    public static String user(UserId user) {
        return "{" + user.value() + "}";
    }

    /**
     * Every key of one OAuth client: its token state and record version, and its failures per address (which
     * client-check.lua reads with the version). {@code c:} keeps client ids apart from user ids.
     */
    public static String client(ClientId client) {
        return "{c:" + client.value() + "}";
    }
}
