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
 * sigil:{uid}:s:{sid}        hash   current/previous token hash, created, last used, absolute end, ip, ua
 * sigil:{uid}:s:{sid}:old    set    hashes of older retired tokens (reuse detection)
 * sigil:{uid}:s:{sid}:next   string successor encrypted under the predecessor (grace period only)
 * sigil:{uid}:sessions       zset   session id -> expiry ms (the per-user index; no KEYS/SCAN)
 * sigil:{uid}:nbf            string epoch seconds; access tokens issued before it are revoked
 * sigil:{uid}:rsid:{sid}     string revoked session marker, lives as long as its access tokens
 * sigil:{uid}:rjti:{jti}     string deny-listed access token, lives until the token's exp
 * </pre>
 */
final class SessionKeys {

    private final String prefix;

    private SessionKeys(String prefix) {
        this.prefix = prefix;
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
