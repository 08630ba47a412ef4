package dev.sigil.session;

import java.util.UUID;

/**
 * Redis key names. Every key of one user carries the hash tag {@code {<user id>}}, so each script
 * touches a single slot: atomic on one Redis and unchanged on Redis Cluster.
 * <pre>
 * sigil:{uid}:s:{sid}        hash   current/previous token hash, created, last used, absolute end, ip, ua
 * sigil:{uid}:s:{sid}:old    set    hashes of older retired tokens (reuse detection)
 * sigil:{uid}:s:{sid}:next   string successor encrypted under the predecessor (grace period only)
 * sigil:{uid}:sessions       zset   session id -> last used ms (the per-user index; no KEYS/SCAN; at most
 *                                   sigil.sessions.max-per-user entries, the least recently used evicted first)
 * sigil:{uid}:ver            string the user's version (INCR); access tokens with another {@code uv} are revoked.
 *                                   No TTL: it must outlive every token and session that carries an older value
 * sigil:{uid}:nbf            string no longer written (the version replaced it); see SessionStore.revokeMany
 * sigil:{uid}:rsid:{sid}     string revoked session marker, lives as long as its access tokens
 * sigil:{uid}:rjti:{jti}     string deny-listed access token, lives until the token's exp
 * </pre>
 */
record SessionKeys(String prefix) {
    // session-create.lua builds the keys of the sessions it evicts from this prefix: keep the names in step.

    static SessionKeys of(UUID userId) {
        return new SessionKeys("sigil:{" + userId + "}:");
    }

    String session(String sid) {
        return prefix + "s:" + sid;
    }

    String retired(String sid) {
        return prefix + "s:" + sid + ":old";
    }

    String successor(String sid) {
        return prefix + "s:" + sid + ":next";
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

    String revokedSession(String sid) {
        return prefix + "rsid:" + sid;
    }

    String revokedJti(String jti) {
        return prefix + "rjti:" + jti;
    }
}
