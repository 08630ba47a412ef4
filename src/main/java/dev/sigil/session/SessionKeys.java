package dev.sigil.session;

import dev.sigil.id.SessionId;
import dev.sigil.id.TokenId;
import dev.sigil.id.UserId;

/**
 * Redis key names. Every key of one user carries the hash tag {@code {<user id>}}, so each script
 * touches a single slot: atomic on one Redis and unchanged on Redis Cluster.
 * <p>
 * The builders take only parsed ids ({@link UserId}, {@link SessionId}, {@link TokenId}), never a
 * string: an id from outside that named another key ({@code <sid>:old}, a brace, a wildcard) once
 * let a caller delete a session's reuse-detection set.
 * <pre>
 * sigil:{uid}:s:{sid}        string the session, one JSON object: current/previous token hash and generation, created,
 *                                   last used, absolute end, ip, ua, subject and its version, amr, auth_time, and for
 *                                   the grace period the successor sealed under its predecessor with its end (nx, nxe).
 *                                   Earlier versions kept the same fields in a hash (read, then rewritten as a string):
 *                                   a hash with any value over 64 bytes leaves Redis' listpack encoding and doubles in size
 * sigil:{uid}:s:{sid}:old    set    hashes of retired version 1 tokens (sessions started before version 2 tokens only)
 * sigil:{uid}:s:{sid}:next   string no longer written (the sealed successor is in the session); deleted with it
 * sigil:{uid}:sessions       zset   session id -> last used ms (the per-user index; no KEYS/SCAN; at most
 *                                   sigil.sessions.max-per-user entries, the least recently used evicted first)
 * sigil:{uid}:ver            string the user's version (INCR); access tokens with another {@code uv} are revoked.
 *                                   No TTL: it must outlive every token and session that carries an older value
 * sigil:{uid}:nbf            string no longer written (the version replaced it); see SessionStore.revokeMany
 * sigil:{uid}:rsid:{sid}     string revoked session marker, lives as long as its access tokens
 * sigil:{uid}:rjti:{jti}     string deny-listed access token, lives until the token's exp
 * </pre>
 */
final class SessionKeys {
    // session-create.lua builds the keys of the sessions it evicts from prefix(): keep the names in step.

    private final String prefix;

    private SessionKeys(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    static SessionKeys of(UserId user) {
        return new SessionKeys("sigil:{" + user.value() + "}:");
    }

    String session(SessionId sid) {
        return prefix + "s:" + sid.value();
    }

    String retired(SessionId sid) {
        return session(sid) + ":old";
    }

    String successor(SessionId sid) {
        return session(sid) + ":next";
    }

    String index() {
        return prefix + "sessions";
    }

    String version() {
        return prefix + "ver";
    }

    String notBefore() {
        return prefix + "nbf";
    }

    String revokedSession(SessionId sid) {
        return prefix + "rsid:" + sid.value();
    }

    String revokedJti(TokenId jti) {
        return prefix + "rjti:" + jti.value();
    }
}
