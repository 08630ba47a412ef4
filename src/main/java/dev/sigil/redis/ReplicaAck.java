package dev.sigil.redis;

import dev.sigil.error.Outages;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Response;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** How many replicas must acknowledge a change (Redis WAIT) and for how long to wait; 0 replicas: no WAIT. */
public record ReplicaAck(int replicas, Duration timeout) {

    public static final ReplicaAck NONE = new ReplicaAck(0, Duration.ZERO);

    /**
     * Runs {@code write}, then, when replicas are asked for, WAIT on the same connection: a Lua script
     * cannot call WAIT, and the pool could send a second command over another connection, whose WAIT
     * would not cover this write. Fewer acknowledgements than asked is an outage (503): the change
     * happened on the master but might not survive a failover, so the client retries (a refresh retried
     * with the same token is answered within the grace period; revocations are idempotent).
     */
    public Uni<Response> write(ReactiveRedisDataSource redis, Function<ReactiveRedisDataSource, Uni<Response>> write) {
        if (replicas <= 0) {
            return Outages.redis(write.apply(redis));
        }
        AtomicReference<Response> result = new AtomicReference<>();
        return Outages.redis(redis.withConnection(connection -> write.apply(connection)
                        .invoke(result::set)
                        .chain(() -> connection.execute(Command.WAIT, Integer.toString(replicas), Long.toString(timeout.toMillis())))
                        .invoke(acknowledged -> {
                            if (acknowledged.toInteger() < replicas) {
                                throw new IllegalStateException(acknowledged.toInteger() + " of " + replicas + " replicas acknowledged in time");
                            }
                        })
                        .replaceWithVoid()))
                .map(v -> result.get());
    }
}
