package dev.sigil.client;

import dev.sigil.config.SigilConfig;
import dev.sigil.error.Outages;
import dev.sigil.id.ClientId;
import dev.sigil.id.TokenId;
import dev.sigil.redis.ReplicaAck;
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
import java.util.UUID;

/**
 * Redis state of client tokens. Keys of one client share the hash tag {@code {c:<client id>}}:
 * <pre>
 * sigil:{c:id}:nbf            string epoch seconds; the client's tokens issued at or before it are revoked
 * sigil:{c:id}:rjti:{jti}     string deny-listed client access token, until its exp (plus skew)
 * sigil:{c:id}:ajti:{digest}  string a private_key_jwt assertion's jti, seen once, until the assertion's exp
 * </pre>
 */
@ApplicationScoped
public class ClientTokenStore {

    private final ReactiveRedisDataSource redis;
    private final long markerMs;
    private final long skewMs;
    /** Replica acknowledgements a revocation waits for (sigil.redis.wait-replicas): a failover must not undo it. */
    private final ReplicaAck ack;

    public ClientTokenStore(ReactiveRedisDataSource redis, SigilConfig config) {
        this.redis = redis;
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
        return Outages.redis(redis.execute(Command.MGET, nbf(id), prefix(id) + "rjti:" + jti)).map(r -> {
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
        return Outages.redis(redis.execute(Command.SET, prefix(id) + "ajti:" + digest(jti), "1", "NX", "PX", Long.toString(ttl)))
                .map(r -> r != null && "OK".equals(r.toString()));
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
