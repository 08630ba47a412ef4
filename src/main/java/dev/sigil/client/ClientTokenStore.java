package dev.sigil.client;

import dev.sigil.config.SigilConfig;
import dev.sigil.error.Outages;
import dev.sigil.id.ClientId;
import dev.sigil.id.TokenId;
import dev.sigil.redis.CommandBatcher;
import dev.sigil.redis.LuaScript;
import dev.sigil.redis.ReplicaAck;
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
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Redis state of client tokens. Keys of one client share the hash tag {@code {c:<client id>}}:
 * <pre>
 * sigil:{c:id}:nbf            string epoch seconds; the client's tokens issued at or before it are revoked
 * sigil:{c:id}:rjti:{jti}     string deny-listed client access token, until its exp (plus skew)
 * sigil:{c:id}:ajti:{digest}  string a private_key_jwt assertion's jti, seen once, until the assertion's exp
 * sigil:{c:id}:v              hash   the version of the client's record {v}, and admin changes of it in flight {n}
 * </pre>
 * The version lets every replica cache the client's record and still see an admin change at once: each
 * client authentication reads it first (see Throttle#clientCheck), and a cached record is
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
    private final long markerMs;
    private final long skewMs;
    /** Replica acknowledgements a revocation or a version change waits for (sigil.redis.wait-replicas): a failover must not undo it. */
    private final ReplicaAck ack;

    public ClientTokenStore(ReactiveRedisDataSource redis, CommandBatcher batcher, SigilConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.batcher = batcher;
        this.change = new LuaScript("client-version-change", registry);
        this.ack = new ReplicaAck(config.redis().waitReplicas(), config.redis().waitTimeout());
        this.markerMs = config.tokens().accessLifetime().plus(config.tokens().clockSkew()).toMillis();
        this.skewMs = config.tokens().clockSkew().toMillis();
    }

    /**
     * Revokes every token the client holds now (disable, delete). At-or-before: a token minted in the
     * same second as the change is refused too; a new one can only follow re-enabling.
     */
    public Uni<Void> revokeAll(ClientId id, long nowEpochSeconds) {
        return ack.write(redis, Request.cmd(Command.SET).arg(nbf(id)).arg(nowEpochSeconds).arg("PX").arg(markerMs))
                .replaceWithVoid();
    }

    public Uni<Void> denyAccessToken(ClientId id, TokenId jti, long expiresAtEpochSeconds) {
        long ttl = Math.max(1000, expiresAtEpochSeconds * 1000 - System.currentTimeMillis() + skewMs);
        return ack.write(redis, Request.cmd(Command.SET).arg(prefix(id) + "rjti:" + jti).arg("1").arg("PX").arg(ttl))
                .replaceWithVoid();
    }

    /** True when a client token with this jti and iat has been revoked. One MGET over one slot. */
    public Uni<Boolean> isRevoked(ClientId id, TokenId jti, long issuedAt) {
        return Outages.redis(batcher.execute(Command.MGET, nbf(id), prefix(id) + "rjti:" + jti)).map(r -> {
            Response nbf = r.get(0);
            return (nbf != null && issuedAt <= nbf.toLong()) || r.get(1) != null;
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

    private static String prefix(ClientId id) {
        return "sigil:{c:" + id.value() + "}:";
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
