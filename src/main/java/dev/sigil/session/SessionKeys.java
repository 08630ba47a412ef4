package dev.sigil.session;

import dev.sigil.id.SessionId;
import dev.sigil.id.TokenId;
import dev.sigil.id.UserId;
import dev.sigil.redis.HashTags;
import dev.sigil.user.UserVersions;

import java.util.ArrayList;
import java.util.List;

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
 *                                   A string, not a hash: a hash with any value over 64 bytes leaves Redis' listpack
 *                                   encoding and doubles in size
 * sigil:{uid}:sessions       zset   session id -> last used ms (the per-user index; no KEYS/SCAN; at most
 *                                   sigil.sessions.max-per-user entries, the least recently used evicted first)
 * sigil:{uid}:ver            string the user's version (INCR, owned by user.UserVersions); access tokens with another {@code uv} are revoked.
 *                                   No TTL: it must outlive every token and session that carries an older value
 * sigil:{uid}:rsid:{sid}     string revoked session marker, lives as long as its access tokens
 * sigil:{uid}:rjti:{jti}     string deny-listed access token, lives until the token's exp
 * </pre>
 */
final class SessionKeys {
    private final UserId user;
    private final String prefix;

    private SessionKeys(UserId user) {
        this.user = user;
        this.prefix = "sigil:" + HashTags.user(user) + ":";
    }

    static SessionKeys of(UserId user) {
        return new SessionKeys(user);
    }

    String session(SessionId sid) {
        return prefix + "s:" + sid.value();
    }

    String index() {
        return prefix + "sessions";
    }

    /** The user's version lives with the user ({@link UserVersions}); the session scripts read it in the user's slot. */
    String version() {
        return UserVersions.key(user);
    }

    String revokedSession(SessionId sid) {
        return prefix + "rsid:" + sid.value();
    }

    String revokedJti(TokenId jti) {
        return prefix + "rjti:" + jti.value();
    }

    // The KEYS of each session script, in the order its header documents (SessionScriptKeysTest compares them).

    /** session-create.lua: the new session, the index, the version, then per session named for eviction its session and marker. */
    List<String> create(SessionId sid, List<SessionId> evict) {
        List<String> keys = new ArrayList<>(List.of(session(sid), index(), version()));
        evict.forEach(old -> keys.addAll(List.of(session(old), revokedSession(old))));
        return keys;
    }

    /** session-rotate.lua. */
    List<String> rotate(SessionId sid) {
        return List.of(session(sid), index(), revokedSession(sid), version());
    }

    /** session-logout.lua. */
    List<String> logout(SessionId sid) {
        return List.of(session(sid), index(), revokedSession(sid));
    }

    /** session-revoke.lua: the index, then per session its session and marker. */
    List<String> revoke(List<SessionId> sids) {
        List<String> keys = new ArrayList<>(List.of(index()));
        sids.forEach(sid -> keys.addAll(List.of(session(sid), revokedSession(sid))));
        return keys;
    }

    /** session-read.lua: the index, then the sessions. */
    List<String> read(List<SessionId> sids) {
        List<String> keys = new ArrayList<>(List.of(index()));
        sids.forEach(sid -> keys.add(session(sid)));
        return keys;
    }

    /** session-drop-otp.lua: the version, then the sessions. */
    List<String> dropOtp(List<SessionId> sids) {
        List<String> keys = new ArrayList<>(List.of(version()));
        sids.forEach(sid -> keys.add(session(sid)));
        return keys;
    }

    /** session-stepup.lua. */
    List<String> stepUp(SessionId sid) {
        return List.of(session(sid));
    }
}
