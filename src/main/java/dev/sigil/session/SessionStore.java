package dev.sigil.session;

import dev.sigil.config.SigilConfig;
import dev.sigil.error.Outages;
import dev.sigil.id.SessionId;
import dev.sigil.id.TokenId;
import dev.sigil.id.UserId;
import dev.sigil.redis.LuaScript;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Session state in Redis. Every check-and-change is one Lua script over keys of a single user
 * ({@link SessionKeys}); nothing reads and then writes across round trips.
 */
@ApplicationScoped
public class SessionStore {

    private final LuaScript createScript;
    private final LuaScript rotateScript;
    private final LuaScript revokeScript;
    private final LuaScript readScript;
    private final LuaScript logoutScript;
    private static final int MAX_USER_AGENT = 256;

    private final ReactiveRedisDataSource redis;
    private final long idleMs;
    private final long absoluteMs;
    private final long graceMs;
    /** Revocation markers live as long as the access tokens they name can: lifetime plus skew. */
    private final long markerMs;
    private final long skewMs;

    public SessionStore(ReactiveRedisDataSource redis, SigilConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.createScript = new LuaScript("session-create", registry);
        this.rotateScript = new LuaScript("session-rotate", registry);
        this.revokeScript = new LuaScript("session-revoke", registry);
        this.readScript = new LuaScript("session-read", registry);
        this.logoutScript = new LuaScript("session-logout", registry);
        this.idleMs = config.tokens().refreshIdle().toMillis();
        this.absoluteMs = config.tokens().sessionMax().toMillis();
        this.graceMs = config.tokens().grace().toMillis();
        this.markerMs = config.tokens().accessLifetime().plus(config.tokens().clockSkew()).toMillis();
        this.skewMs = config.tokens().clockSkew().toMillis();
    }

    public enum Outcome { ROTATED, GRACE, REUSED, INVALID }

    /** What a rotation attempt found. {@code sealedSuccessor} only for GRACE; {@code ttlMs} for ROTATED and GRACE. */
    public record Rotation(Outcome outcome, long ttlMs, String sealedSuccessor) {
    }

    public record StoredSession(SessionId id, Instant created, Instant lastUsed, String clientAddress, String userAgent) {
    }

    /** Stores a new session whose current token is {@code token}; returns its lifetime in ms. */
    Uni<Long> create(RefreshToken token, String ip, String userAgent) {
        SessionKeys k = SessionKeys.of(token.userId());
        SessionId sid = token.sid();
        return call(createScript, List.of(k.session(sid), k.index()),
                List.of(token.hash(), Long.toString(idleMs), Long.toString(absoluteMs), sid.value(), nz(ip), clip(userAgent)))
                .map(Response::toLong);
    }

    Uni<Rotation> rotate(RefreshToken presented, RefreshToken successor, String ip, String userAgent) {
        SessionKeys k = SessionKeys.of(presented.userId());
        SessionId sid = presented.sid();
        List<String> keys = List.of(k.session(sid), k.retired(sid), k.successor(sid), k.index(), k.revokedSession(sid));
        List<String> args = List.of(presented.hash(), successor.hash(), graceMs > 0 ? presented.sealSuccessor(successor) : "",
                Long.toString(idleMs), Long.toString(graceMs), sid.value(), Long.toString(markerMs), nz(ip), clip(userAgent));
        return call(rotateScript, keys, args).map(r -> {
            Outcome outcome = Outcome.valueOf(r.get(0).toString().toUpperCase(java.util.Locale.ROOT));
            long ttl = r.size() > 1 ? Long.parseLong(r.get(1).toString()) : 0;
            String sealed = r.size() > 2 ? r.get(2).toString() : null;
            return new Rotation(outcome, ttl, sealed);
        });
    }

    /** Ends the session that {@code token} belongs to; false if the token is not one of its own. */
    Uni<Boolean> logout(RefreshToken token) {
        SessionKeys k = SessionKeys.of(token.userId());
        SessionId sid = token.sid();
        return call(logoutScript, List.of(k.session(sid), k.retired(sid), k.successor(sid), k.index(), k.revokedSession(sid)),
                List.of(token.hash(), sid.value(), Long.toString(markerMs)))
                .map(r -> r.toLong() == 1);
    }

    /** Revokes one session of {@code userId}; true if it was in the user's index (and so belonged to that user). */
    public Uni<Boolean> revoke(UserId userId, SessionId sid) {
        return revokeMany(userId, List.of(sid), false).map(n -> n > 0);
    }

    /**
     * Revokes every session of the user but {@code keep} (null: all), and with {@code allTokens} also
     * every access token issued so far (the user's not-before). Returns how many sessions ended.
     */
    public Uni<Long> revokeAll(UserId userId, SessionId keep, boolean allTokens) {
        return indexed(userId)
                .map(sids -> sids.stream().filter(sid -> !sid.equals(keep)).toList())
                .flatMap(sids -> revokeMany(userId, sids, allTokens));
    }

    private Uni<Long> revokeMany(UserId userId, List<SessionId> sids, boolean notBefore) {
        SessionKeys k = SessionKeys.of(userId);
        List<String> keys = new ArrayList<>(List.of(k.index(), k.notBefore()));
        List<String> args = new ArrayList<>(List.of(Long.toString(markerMs), notBefore ? "1" : "0", Long.toString(markerMs)));
        for (SessionId sid : sids) {
            keys.addAll(List.of(k.session(sid), k.retired(sid), k.successor(sid), k.revokedSession(sid)));
            args.add(sid.value());
        }
        return call(revokeScript, keys, args).map(Response::toLong);
    }

    /**
     * The session ids in the user's index. Parsed like any outside input: only Sigil writes the index,
     * but a member that is not a session id must never become part of a key name.
     */
    private Uni<List<SessionId>> indexed(UserId userId) {
        return Outages.guard("redis", redis.execute(Command.ZRANGE, SessionKeys.of(userId).index(), "0", "-1"))
                .map(r -> {
                    List<SessionId> sids = new ArrayList<>();
                    r.forEach(s -> SessionId.parse(s.toString()).ifPresent(sids::add));
                    return sids;
                });
    }

    /** The user's live sessions, oldest first. */
    public Uni<List<StoredSession>> list(UserId userId) {
        SessionKeys k = SessionKeys.of(userId);
        return indexed(userId)
                .flatMap(sids -> {
                    List<String> keys = new ArrayList<>(List.of(k.index()));
                    sids.forEach(sid -> keys.add(k.session(sid)));
                    return call(readScript, keys, sids.stream().map(SessionId::value).toList());
                })
                .map(r -> {
                    List<StoredSession> out = new ArrayList<>();
                    r.forEach(s -> out.add(new StoredSession(new SessionId(s.get(0).toString()),
                            Instant.ofEpochMilli(s.get(1).toLong()), Instant.ofEpochMilli(s.get(2).toLong()),
                            s.get(3).toString(), s.get(4).toString())));
                    out.sort(java.util.Comparator.comparing(StoredSession::created));
                    return out;
                });
    }

    /** Deny-lists one access token until {@code expiresAt} (plus skew). */
    public Uni<Void> denyAccessToken(UserId userId, TokenId jti, long expiresAtEpochSeconds) {
        long ttl = Math.max(1000, expiresAtEpochSeconds * 1000 - System.currentTimeMillis() + skewMs);
        return Outages.guard("redis", redis.execute(Command.SET, SessionKeys.of(userId).revokedJti(jti), "1", "PX", Long.toString(ttl)))
                .replaceWithVoid();
    }

    /**
     * True when an access token with these claims has been revoked: its session, its jti, or every
     * token of its user issued before the user's not-before. One MGET over one slot.
     * <p>
     * Strictly before: {@code iat} has whole seconds, and a token issued in the very second of the
     * revocation may be a new login's. Tokens of the sessions ended in that second are still
     * refused, by their revoked-session markers, which the same script writes.
     */
    public Uni<Boolean> isRevoked(UserId userId, SessionId sid, TokenId jti, long issuedAt) {
        SessionKeys k = SessionKeys.of(userId);
        return Outages.guard("redis", redis.execute(Command.MGET, k.notBefore(), k.revokedSession(sid), k.revokedJti(jti)))
                .map(r -> {
                    Response nbf = r.get(0);
                    return (nbf != null && issuedAt < nbf.toLong()) || r.get(1) != null || r.get(2) != null;
                });
    }

    private Uni<Response> call(LuaScript script, List<String> keys, List<String> args) {
        return Outages.guard("redis", script.run(redis, keys, args));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() <= MAX_USER_AGENT ? s : s.substring(0, MAX_USER_AGENT);
    }
}
