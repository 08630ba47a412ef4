package dev.sigil.redis;

import dev.sigil.error.Outages;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.time.Duration;
import java.util.List;

/** How many replicas must acknowledge a change (Redis WAIT) and for how long to wait; 0 replicas: no WAIT. */
public record ReplicaAck(int replicas, Duration timeout) {

    public static final ReplicaAck NONE = new ReplicaAck(0, Duration.ZERO);

    /**
     * Sends {@code write}, then, when replicas are asked for, WAIT in the same batch. A Lua script cannot
     * call WAIT, and WAIT only covers writes made on its own connection. A batch goes over one connection:
     * the pool's on standalone and Sentinel, and on Cluster the connection to the master that owns the
     * batch's keys (the Vert.x cluster client routes a batch by the slot of its keyed commands and lets
     * key-less ones such as WAIT follow; sent alone, WAIT would go to a random node). One round trip, too.
     * Fewer acknowledgements than asked is an outage (503): the change happened on the master but might
     * not survive a failover, so the client retries (a refresh retried with the same token is answered
     * within the grace period; revocations are idempotent). A failed write fails the batch.
     */
    public Uni<Response> write(ReactiveRedisDataSource redis, Request write) {
        if (replicas <= 0) {
            return Outages.redis(redis.getRedis().send(write));
        }
        Request wait = Request.cmd(Command.WAIT).arg(replicas).arg(timeout.toMillis());
        return Outages.redis(redis.getRedis().batch(List.of(write, wait)).map(r -> {
            int acknowledged = r.get(1).toInteger();
            if (acknowledged < replicas) {
                throw new IllegalStateException(acknowledged + " of " + replicas + " replicas acknowledged in time");
            }
            return r.get(0);
        }));
    }
}
