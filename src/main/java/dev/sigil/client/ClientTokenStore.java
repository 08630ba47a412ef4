package dev.sigil.client;

import dev.sigil.config.SigilConfig;
import dev.sigil.error.Outages;
import dev.sigil.id.ClientId;
import dev.sigil.id.TokenId;
import dev.sigil.redis.CommandBatcher;
import dev.sigil.redis.HashTags;
import dev.sigil.redis.LuaScript;
import dev.sigil.redis.ReadCommand;
import dev.sigil.redis.RepeatableScript;
import dev.sigil.redis.ReplicaAck;
import dev.sigil.throttle.Throttle;
import dev.sigil.web.CallerAddress;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Redis state of client tokens. Keys of one client share the hash tag {@code {c:<client id>}}:
 * <pre>
 * sigil:{c:id}:nbf            string an instant in TokenId ticks (1/4096 ms); the client's tokens issued at or before it are revoked
 * sigil:{c:id}:rjti:{jti}     string deny-listed client access token, until its exp (plus skew)
 * sigil:{c:id}:ajti:{digest}  string a private_key_jwt assertion's jti, seen once, until the assertion's exp
 * sigil:{c:id}:v              hash   the version of the client's record {v}, and admin changes of it in flight {n}
 * </pre>
 * The version lets every replica cache the client's record and still see an admin change at once: each
 * client authentication reads it first (see {@link #check}), and a cached record is
 * used only under the version it was read after. A change is counted in flight before it writes PostgreSQL
 * (no record is cached meanwhile) and the last one out sets a new version after it commits; when that last
 * step fails, the count stays and the record is read from PostgreSQL on every use until {@link #PENDING_MS}.
 * Only clients have a version (set when one is created or changed, or at its first use after Redis lost it):
 * an id that names no client leaves no key here.
 */
@ApplicationScoped
public class ClientTokenStore {

    /** How long a pending marker outlives a change whose end was never recorded; far above any transaction. */
    static final long PENDING_MS = 10 * 60 * 1000L;
    /** A version nothing touches for this long expires; a fresh one then costs one read of PostgreSQL. */
    public static final long VERSION_MS = 24 * 3600 * 1000L;

    private final ReactiveRedisDataSource redis;
    private final CommandBatcher batcher;
    private final LuaScript change;
    /** Reads, and sets the record version's lifetime or clears failures only to the same end state: safe to batch. */
    private final RepeatableScript checkScript;
    private final long markerMs;
    private final long skewMs;
    /** Replica acknowledgements a revocation or a version change waits for (sigil.redis.wait-replicas): a failover must not undo it. */
    private final ReplicaAck ack;

    public ClientTokenStore(ReactiveRedisDataSource redis, CommandBatcher batcher, SigilConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.batcher = batcher;
        this.change = new LuaScript("client-version-change", registry);
        this.checkScript = new RepeatableScript("client-check", registry);
        this.ack = new ReplicaAck(config.redis().waitReplicas(), config.redis().waitTimeout());
        this.markerMs = config.tokens().accessLifetime().plus(config.tokens().clockSkew()).toMillis();
        this.skewMs = config.tokens().clockSkew().toMillis();
    }

    /**
     * Revokes every token the client holds at {@code at} (disable, delete): those whose jti carries an issue
     * instant at or before it (see {@link TokenId#timeOrdered}). Kept finer than seconds, so that a token
     * issued after a re-enable or a re-creation in the same second as the change is not caught by it.
     */
    public Uni<Void> revokeAll(ClientId id, Instant at) {
        return ack.write(redis, Request.cmd(Command.SET).arg(nbf(id)).arg(TokenId.ticks(at)).arg("PX").arg(markerMs))
                .replaceWithVoid();
    }

    public Uni<Void> denyAccessToken(ClientId id, TokenId jti, long expiresAtEpochSeconds) {
        long ttl = Math.max(1000, expiresAtEpochSeconds * 1000 - System.currentTimeMillis() + skewMs);
        return ack.write(redis, Request.cmd(Command.SET).arg(revokedJti(id, jti)).arg("1").arg("PX").arg(ttl))
                .replaceWithVoid();
    }

    /** A client token's revocation, and the version to read its client's record under ("": read PostgreSQL). */
    public record TokenState(boolean revoked, String version) {
    }

    /**
     * What a check of a client token needs from Redis: whether it is revoked, and the version of its client's
     * record to read that record under (see {@link ClientCache#get}), so that the check sees the client's
     * current scopes, audience and state at once on every replica. The version is empty when there is none
     * or a change is in flight: the record is then read from PostgreSQL. An MGET and an HMGET of one slot,
     * sent in one batch; nothing is written (a token whose client never authenticated here creates no key).
     */
    public Uni<TokenState> tokenState(ClientId id, TokenId jti, long issuedAtTicks) {
        Uni<Response> marks = batcher.execute(ReadCommand.mget(nbf(id), revokedJti(id, jti)));
        Uni<Response> record = batcher.execute(ReadCommand.hmget(versionKey(id), "v", "n"));
        return Outages.redis(Uni.combine().all().unis(marks, record).asTuple()).map(t -> {
            Response nbf = t.getItem1().get(0);
            boolean revoked = (nbf != null && issuedAtTicks <= nbf.toLong()) || t.getItem1().get(1) != null;
            Response v = t.getItem2().get(0);
            Response n = t.getItem2().get(1);
            boolean inFlight = n != null && n.toLong() > 0;
            return new TokenState(revoked, v == null || inFlight ? "" : v.toString());
        });
    }

    /**
     * Records an assertion's jti until {@code expiresAtEpochSeconds} (plus skew); false when it was
     * already there (a replay). One SET NX: two racing requests with one assertion cannot both win.
     * The jti is hashed, so whatever the client put in it never shapes a key.
     */
    public Uni<Boolean> firstUseOfAssertion(ClientId id, String jti, long expiresAtEpochSeconds) {
        long ttl = Math.max(1000, expiresAtEpochSeconds * 1000 - System.currentTimeMillis() + skewMs);
        // Behind WAIT like a revocation: a failover that lost the marker would let the assertion be replayed.
        return ack.write(redis, Request.cmd(Command.SET).arg(prefix(id) + "ajti:" + digest(jti)).arg("1").arg("NX").arg("PX").arg(ttl))
                .map(r -> r != null && "OK".equals(r.toString()));
    }

    /** A version that says a change of the client's record is in flight: nothing may be cached (see ClientCache#get). */
    public static final String NO_VERSION = "";

    /**
     * What a client authentication learns from Redis before it runs: {@code settled} when the version of the
     * cached record the credential already matched is still current (its (client, address) failures are reset,
     * nothing else is needed); else the version of the client's record ({@link #NO_VERSION} while an admin
     * change of it is in flight, or null when Redis holds none: no such client, or one unused for a day), and
     * the (client, address) lockout for the throttle.
     */
    public record CheckState(boolean settled, String version, Throttle.ClientLockout lockout) {
    }

    /**
     * One round trip (client-check.lua, through the batcher) over the client's slot: the record version and,
     * beside it, the throttle's (client, address) failures. {@code matchedVersion}: the version of a cached
     * record the presented credential already matched, or null. Writes nothing for an id Redis does not know.
     */
    public Uni<CheckState> check(ClientId id, CallerAddress address, String matchedVersion) {
        List<String> args = List.of(matchedVersion == null ? NO_VERSION : matchedVersion, Long.toString(VERSION_MS));
        // LuaScript.run already turns a Redis failure into 503 unavailable.
        return checkScript.run(batcher, checkKeys(id, address), args).map(r -> {
            if (r.get(0).toInteger() == 1) {
                return new CheckState(true, matchedVersion, Throttle.ClientLockout.NONE);
            }
            String version = r.get(1) == null ? null : r.get(2).toLong() > 0 ? NO_VERSION : r.get(1).toString();
            return new CheckState(false, version, new Throttle.ClientLockout(r.get(3).toLong(), r.get(4).toLong() > 0));
        });
    }

    /** client-check.lua's KEYS: the failures of (client, address), then the record version; one slot. */
    public static List<String> checkKeys(ClientId id, CallerAddress address) {
        return List.of(Throttle.clientFailuresKey(id, address), versionKey(id));
    }

    /** The key of the client's record version; under the client's hash tag {@code {c:<id>}}. */
    public static String versionKey(ClientId id) {
        return prefix(id) + "v";
    }

    /** Before an admin change writes PostgreSQL: counts it in flight, so no replica caches the client's record meanwhile. */
    Uni<Void> beginChange(ClientId id) {
        return change.run(redis, List.of(versionKey(id)), List.of("begin", "", Long.toString(PENDING_MS), Long.toString(VERSION_MS)), ack)
                .replaceWithVoid();
    }

    /**
     * Gives an existing client whose version Redis lost or let expire the version {@code version}; false when
     * one is there again (a change began meanwhile): then the record just read must not be cached under it.
     * No replica acknowledgement: a version lost in a failover is created again at the next use.
     */
    Uni<Boolean> initVersion(ClientId id, String version) {
        return change.run(redis, List.of(versionKey(id)), List.of("init", version, Long.toString(PENDING_MS), Long.toString(VERSION_MS)))
                .map(r -> r.toLong() == 1);
    }

    /** After the change committed (or failed): uncounts it; the last change in flight sets a new version. */
    Uni<Void> endChange(ClientId id) {
        return change.run(redis, List.of(versionKey(id)),
                List.of("end", UUID.randomUUID().toString(), Long.toString(PENDING_MS), Long.toString(VERSION_MS)), ack).replaceWithVoid();
    }

    private static String nbf(ClientId id) {
        return prefix(id) + "nbf";
    }

    private static String revokedJti(ClientId id, TokenId jti) {
        return prefix(id) + "rjti:" + jti;
    }

    private static String prefix(ClientId id) {
        return "sigil:" + HashTags.client(id) + ":";
    }

    private static String digest(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
