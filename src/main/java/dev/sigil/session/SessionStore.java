package dev.sigil.session;

import dev.sigil.config.SigilConfig;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.Outages;
import dev.sigil.error.SigilException;
import dev.sigil.id.SessionId;
import dev.sigil.id.TokenId;
import dev.sigil.id.UserId;
import dev.sigil.redis.CommandBatcher;
import dev.sigil.redis.LuaScript;
import dev.sigil.redis.ReadCommand;
import dev.sigil.redis.ReplicaAck;
import dev.sigil.token.Authentication;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
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
    private final LuaScript stepUpScript;
    private final LuaScript dropOtpScript;
    private static final int MAX_USER_AGENT = 256;

    private final ReactiveRedisDataSource redis;
    private final CommandBatcher batcher;
    private final long idleMs;
    private final long absoluteMs;
    private final long graceMs;
    /** Revocation markers live as long as the access tokens they name can: lifetime plus skew. */
    private final long markerMs;
    private final long skewMs;
    private final int maxSessions;
    /** Replica acknowledgements each session change waits for (sigil.redis.wait-replicas). */
    private final ReplicaAck ack;
    /** Passed right before the create and rotate scripts, where a test pauses to interleave a change to the user. */
    private final SessionWriteHook hook;

    public SessionStore(ReactiveRedisDataSource redis, CommandBatcher batcher, SigilConfig config, MeterRegistry registry,
                        SessionWriteHook hook) {
        this.redis = redis;
        this.hook = hook;
        this.batcher = batcher;
        this.createScript = new LuaScript("session-create", registry);
        this.rotateScript = new LuaScript("session-rotate", registry);
        this.revokeScript = new LuaScript("session-revoke", registry);
        this.readScript = new LuaScript("session-read", registry);
        this.logoutScript = new LuaScript("session-logout", registry);
        this.stepUpScript = new LuaScript("session-stepup", registry);
        this.dropOtpScript = new LuaScript("session-drop-otp", registry);
        this.idleMs = config.tokens().refreshIdle().toMillis();
        this.absoluteMs = config.tokens().sessionMax().toMillis();
        this.graceMs = config.tokens().grace().toMillis();
        this.markerMs = config.tokens().accessLifetime().plus(config.tokens().clockSkew()).toMillis();
        this.skewMs = config.tokens().clockSkew().toMillis();
        this.maxSessions = config.sessions().maxPerUser();
        this.ack = new ReplicaAck(config.redis().waitReplicas(), config.redis().waitTimeout());
    }

    /** STALE: the user's version moved after the refresh read it; nothing was written. */
    public enum Outcome { ROTATED, GRACE, REUSED, INVALID, STALE }

    /**
     * What a rotation attempt found. {@code sealedSuccessor} only for GRACE; {@code ttlMs}, {@code subject}
     * (JSON, see UserSnapshot#toJson), the {@code version} it was read at, and the session's authentication
     * (amr, auth_time) for ROTATED and GRACE.
     */
    public record Rotation(Outcome outcome, long ttlMs, String sealedSuccessor, String subject, long version,
                           Authentication authn) {
    }

    /** A subject just read from PostgreSQL at the user's {@code version}, to store with the rotation. */
    record Fresh(long version, String subject) {
    }

    public record StoredSession(SessionId id, Instant created, Instant lastUsed, String clientAddress, String userAgent) {
    }

    /**
     * What session creation did: {@code stale} when the user's version was no longer the one read (nothing
     * written); else the lifetime in ms and the sessions evicted to stay within the per-user cap.
     */
    record Created(boolean stale, long ttlMs, List<SessionId> evicted) {
    }

    /**
     * Stores a new session whose current token is {@code token}, only if the user's version is still
     * {@code version} (read before the user was), first ending the least recently used sessions beyond
     * the per-user cap: checked and written in one script. The script takes every key through KEYS, so it
     * names the sessions it must end when it was not given them, and is called again with their keys.
     */
    Uni<Created> create(RefreshToken token, String ip, String userAgent, long version, String subject, Authentication authn) {
        return hook.afterUserRead(token.userId().value())
                .chain(() -> create(token, ip, userAgent, version, subject, authn, List.of(), EVICTION_ROUNDS));
    }

    /**
     * Rounds of naming sessions to end: the first names none; a further one is needed only when concurrent
     * logins of the same user at the cap changed which sessions are least recently used meanwhile.
     */
    private static final int EVICTION_ROUNDS = 4;

    private Uni<Created> create(RefreshToken token, String ip, String userAgent, long version, String subject, Authentication authn,
                                List<SessionId> toEvict, int rounds) {
        SessionKeys k = SessionKeys.of(token.userId());
        SessionId sid = token.sid();
        List<String> keys = k.create(sid, toEvict);
        List<String> args = new ArrayList<>(List.of(token.hash(), Long.toString(idleMs), Long.toString(absoluteMs), sid.value(), nz(ip),
                clip(userAgent), Long.toString(version), Integer.toString(maxSessions), Long.toString(markerMs), subject,
                authn.storedMethods(), Long.toString(authn.authTime())));
        toEvict.forEach(old -> args.add(old.value()));
        return call(createScript, keys, args).flatMap(r -> {
            String outcome = r.get(0).toString();
            if ("stale".equals(outcome)) {
                return Uni.createFrom().item(new Created(true, 0, List.of()));
            }
            if ("evict".equals(outcome)) {
                if (rounds <= 1) {
                    return Uni.createFrom().failure(new SigilException(ErrorCode.UNAVAILABLE, "Other logins of this user are in progress; retry", 1));
                }
                // Index members are written by Sigil only, but never become part of a key name unparsed.
                List<SessionId> named = new ArrayList<>();
                for (int i = 1; i < r.size(); i++) {
                    named.add(SessionId.parse(r.get(i).toString()).orElseThrow(() -> new IllegalStateException("not a session id in the index")));
                }
                return create(token, ip, userAgent, version, subject, authn, named, rounds - 1);
            }
            List<SessionId> evicted = new ArrayList<>();
            for (int i = 2; i < r.size(); i++) {
                SessionId.parse(r.get(i).toString()).ifPresent(evicted::add);
            }
            return Uni.createFrom().item(new Created(false, r.get(1).toLong(), evicted));
        });
    }

    /**
     * Rotates {@code presented}. With {@code fresh} null the session's own subject is used, only if it was
     * read at the user's current version; else {@code fresh} is stored with the rotation, only if the
     * user's version is still the one it was read at. Either way STALE when the version moved.
     */
    Uni<Rotation> rotate(RefreshToken presented, RefreshToken successor, String ip, String userAgent, Fresh fresh) {
        SessionKeys k = SessionKeys.of(presented.userId());
        SessionId sid = presented.sid();
        List<String> keys = k.rotate(sid);
        List<String> args = List.of(presented.hash(), successor.hash(), graceMs > 0 ? presented.sealSuccessor(successor) : "",
                Long.toString(idleMs), Long.toString(graceMs), sid.value(), Long.toString(markerMs), nz(ip), clip(userAgent),
                fresh == null ? "" : Long.toString(fresh.version()), fresh == null ? "" : fresh.subject(),
                Integer.toString(presented.generation()), Integer.toString(successor.generation()));
        return hook.afterUserRead(presented.userId().value()).chain(() -> call(rotateScript, keys, args)).map(r -> {
            Outcome outcome = Outcome.valueOf(r.get(0).toString().toUpperCase(java.util.Locale.ROOT));
            if (r.size() < 7) {
                return new Rotation(outcome, 0, null, null, 0, null);
            }
            // {outcome, ttl, sealed successor or '', subject, version, amr, auth_time}: see session-rotate.lua
            String sealed = r.get(2).toString();
            return new Rotation(outcome, r.get(1).toLong(), sealed.isEmpty() ? null : sealed, r.get(3).toString(), r.get(4).toLong(),
                    authn(r, 5));
        });
    }

    private static Authentication authn(Response r, int from) {
        return Authentication.stored(r.get(from).toString(), Long.parseLong(r.get(from + 1).toString()));
    }

    /** Sets the session's authentication (step-up); false when the session no longer exists. */
    Uni<Boolean> stepUp(UserId userId, SessionId sid, Authentication authn) {
        return call(stepUpScript, SessionKeys.of(userId).stepUp(sid),
                List.of(authn.storedMethods(), Long.toString(authn.authTime()))).map(r -> r.toLong() == 1);
    }

    /**
     * The user's second factor is gone: every live session falls back to the password alone, and the version
     * moves (ending the access tokens that carried otp or the roles it gated), in one script. Returns how many
     * sessions changed.
     */
    Uni<Long> dropSecondFactor(UserId userId) {
        SessionKeys k = SessionKeys.of(userId);
        return indexed(userId).flatMap(sids -> call(dropOtpScript, k.dropOtp(sids), List.of())).map(Response::toLong);
    }

    /** Ends the session that {@code token} belongs to; false if the token is not one of its own. */
    Uni<Boolean> logout(RefreshToken token) {
        SessionKeys k = SessionKeys.of(token.userId());
        SessionId sid = token.sid();
        return call(logoutScript, k.logout(sid),
                List.of(token.hash(), sid.value(), Long.toString(markerMs), Integer.toString(token.generation())))
                .map(r -> r.toLong() == 1);
    }

    /** Revokes one session of {@code userId}; true if it was in the user's index (and so belonged to that user). */
    public Uni<Boolean> revoke(UserId userId, SessionId sid) {
        return revokeMany(userId, List.of(sid)).map(n -> n > 0);
    }

    /**
     * Revokes every session of the user but {@code keep} (null: all). Access tokens of the ended
     * sessions fail through their revoked-session markers; the kept session's tokens keep working.
     * Returns how many sessions ended.
     */
    public Uni<Long> revokeAll(UserId userId, SessionId keep) {
        return indexed(userId)
                .map(sids -> sids.stream().filter(sid -> !sid.equals(keep)).toList())
                .flatMap(sids -> revokeMany(userId, sids));
    }

    private Uni<Long> revokeMany(UserId userId, List<SessionId> sids) {
        SessionKeys k = SessionKeys.of(userId);
        List<String> args = new ArrayList<>(List.of(Long.toString(markerMs)));
        sids.forEach(sid -> args.add(sid.value()));
        return call(revokeScript, k.revoke(sids), args).map(Response::toLong);
    }

    /**
     * The session ids in the user's index. Parsed like any outside input: only Sigil writes the index,
     * but a member that is not a session id must never become part of a key name.
     */
    private Uni<List<SessionId>> indexed(UserId userId) {
        return Outages.redis(batcher.execute(ReadCommand.zrange(SessionKeys.of(userId).index(), 0, -1)))
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
                .flatMap(sids -> readScript.run(redis, k.read(sids), sids.stream().map(SessionId::value).toList()))
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
        return ack.write(redis, Request.cmd(Command.SET).arg(SessionKeys.of(userId).revokedJti(jti)).arg("1").arg("PX").arg(ttl))
                .replaceWithVoid();
    }

    /**
     * True when an access token with these claims has been revoked: its session, its jti, or its
     * user's version ({@code uv}) is no longer the current one. One MGET over one slot.
     */
    public Uni<Boolean> isRevoked(UserId userId, SessionId sid, TokenId jti, long version) {
        SessionKeys k = SessionKeys.of(userId);
        // Over the connections kept for reads: a write pause holding every script must not hold this check.
        return Outages.redis(batcher.execute(ReadCommand.mget(k.version(), k.revokedSession(sid), k.revokedJti(jti))))
                .map(r -> {
                    Response current = r.get(0);
                    return (current == null ? 0L : current.toLong()) != version || r.get(1) != null || r.get(2) != null;
                });
    }

    private Uni<Response> call(LuaScript script, List<String> keys, List<String> args) {
        return script.run(redis, keys, args, ack);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() <= MAX_USER_AGENT ? s : s.substring(0, MAX_USER_AGENT);
    }
}
