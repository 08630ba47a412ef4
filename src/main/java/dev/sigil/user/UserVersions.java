package dev.sigil.user;

import dev.sigil.config.SigilConfig;
import dev.sigil.error.Outages;
import dev.sigil.id.UserId;
import dev.sigil.redis.CommandBatcher;
import dev.sigil.redis.HashTags;
import dev.sigil.redis.ReadCommand;
import dev.sigil.redis.ReplicaAck;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The user's version ({@code uv}): a counter in Redis that every committed change to the user moves on.
 * Access tokens carry the version they were minted under, and Sigil's own checks refuse a token whose
 * {@code uv} is no longer current, so a lost privilege ends every older token at once. It is the user's
 * state, kept in Redis because the session scripts compare it atomically with the session they change.
 */
@ApplicationScoped
public class UserVersions {

    private final ReactiveRedisDataSource redis;
    private final CommandBatcher batcher;
    private final ReplicaAck ack;

    public UserVersions(ReactiveRedisDataSource redis, CommandBatcher batcher, SigilConfig config) {
        this.redis = redis;
        this.batcher = batcher;
        this.ack = new ReplicaAck(config.redis().waitReplicas(), config.redis().waitTimeout());
    }

    /**
     * {@code sigil:{uid}:ver}, a string (INCR). Under the user's hash tag: the session scripts read it with
     * the user's sessions in one slot. No TTL: it must outlive every token and session that carries an older value.
     */
    public static String key(UserId user) {
        return "sigil:" + HashTags.user(user) + ":ver";
    }

    /**
     * The current version: 0 while the key is absent. Login and refresh read it BEFORE they read the
     * user from PostgreSQL and put it into the access token as {@code uv}, so a token minted from a
     * read older than a change carries an older version than the change left.
     */
    public Uni<Long> current(UserId user) {
        return Outages.redis(batcher.execute(ReadCommand.get(key(user))))
                .map(r -> r == null ? 0L : r.toLong());
    }

    /**
     * Makes every access token issued to the user so far fail revocation-aware checks. Called after a
     * change to the user has committed in PostgreSQL.
     */
    public Uni<Long> bump(UserId user) {
        return ack.write(redis, Request.cmd(Command.INCR).arg(key(user))).map(Response::toLong);
    }
}
