package dev.sigil.redis;

import dev.sigil.config.SigilConfig;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A second Redis client, with a small pool of its own ({@code sigil.redis.read-pool-size}), for the pure reads
 * on request paths ({@link ReadCommand}, through {@link CommandBatcher}). Under {@code CLIENT PAUSE WRITE}
 * (a failover, or an operator's pause) Redis holds every script until the pause ends, and each held script
 * holds its pooled connection: with one pool, {@code /me}'s revocation MGET waited behind them for a
 * connection until its call timeout and answered 503 (issue 30, finding 8). Its own pool lets reads through a
 * write pause; a stall of the whole server (DEBUG SLEEP, a frozen process) still holds both, bounded by
 * {@code sigil.redis.call-timeout}.
 * <p>
 * Why a second client rather than a cap on the writes in the one pool: the Vert.x pool hands out a connection
 * per command whatever it is, so a cap would need a queue of writes of Sigil's own with its own deadline,
 * and would slow writes when nothing is paused; a second pool is the Vert.x client itself, and reads then
 * never queue behind writes at all. Built from the default client's own options ({@link DefaultRedisOptions}),
 * so it follows {@code quarkus.redis.*} on every topology (standalone, Sentinel, Cluster: the pool size is
 * per node); only the pool differs. Closed when Sigil stops.
 */
@ApplicationScoped
public class RedisReads {

    private final Redis client;

    public RedisReads(Vertx vertx, DefaultRedisOptions defaults, SigilConfig config) {
        RedisOptions options = defaults.copy()
                .setMaxPoolSize(config.redis().readPoolSize())
                .setPoolName("sigil-reads");
        // The Micrometer binder of Quarkus names Redis client metrics after "redis|<client name>".
        options.getNetClientOptions().setMetricsName("redis|sigil-reads");
        this.client = Redis.createClient(vertx, options);
    }

    Redis client() {
        return client;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
