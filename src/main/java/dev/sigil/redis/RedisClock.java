package dev.sigil.redis;

import dev.sigil.config.SigilConfig;
import dev.sigil.error.Outages;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * The deadline of every Redis call ({@code sigil.redis.call-timeout}), and that deadline in Redis' own clock,
 * which {@link LuaScript} hands to every script: a script that Redis runs only after its caller gave up (it
 * waited out a stall in Redis' queue) writes nothing. Without this, rotations queued in a 5 s stall ran when
 * Redis woke, after their clients had given up, and started the grace period then: the clients' later
 * retries were taken for theft (issue 30).
 * <p>
 * Why an estimate of Redis' clock rather than this server's time or a relative budget: a replica's clock
 * may be off from Redis' by seconds, so an absolute local deadline could be always or never past in Redis;
 * and a relative budget cannot work, because the script cannot know how long its command waited before it
 * ran. So every {@value #SYNC_SECONDS} s a replica asks Redis for TIME and keeps, from the reply with the
 * shortest round trip, Redis' time at the round trip's midpoint (on the monotonic clock, so local clock
 * steps do not matter): the estimate is off by at most half that round trip, which is subtracted from each
 * deadline, so a script never runs past the moment its caller answered 503. Until the first TIME answers,
 * scripts run without a deadline. Process-wide, because every store calls Redis through the static helpers
 * {@link Outages#redis} and {@link LuaScript}.
 */
@Startup
@ApplicationScoped
public class RedisClock {

    static final int SYNC_SECONDS = 30;
    /** Replies slower than this tell too little about Redis' clock (a stall): kept only while nothing better exists. */
    static final long USEFUL_ROUND_TRIP_MS = 250;

    /** Redis' time (ms) at local {@code nanos}, known to within {@code errorMs}. */
    record Sample(long redisMs, long nanos, long errorMs) {
        long redisMsAt(long atNanos) {
            return redisMs + (atNanos - nanos) / 1_000_000;
        }
    }

    private static volatile Duration callTimeout = Duration.ofSeconds(2);
    private static volatile Sample sample;

    private final Vertx vertx;
    private final ReactiveRedisDataSource redis;
    private final long timer;

    public RedisClock(SigilConfig config, Vertx vertx, ReactiveRedisDataSource redis) {
        this.vertx = vertx;
        this.redis = redis;
        callTimeout = config.redis().callTimeout();
        sample = null; // another Redis than a previous start's (tests)
        // Every second until Redis first answers, then every SYNC_SECONDS.
        this.timer = vertx.setPeriodic(1, 1000, id -> {
            Sample s = sample;
            if (s == null || System.nanoTime() - s.nanos() >= Duration.ofSeconds(SYNC_SECONDS).toNanos()) {
                sync();
            }
        });
    }

    /** How long a Redis call may take, waiting for a connection included. */
    public static Duration callTimeout() {
        return callTimeout;
    }

    /**
     * The deadline, in Redis' clock (ms since the epoch), of a call started at local {@code startNanos}: its
     * call timeout later, less the estimate's error. 0 when Redis' clock is not known yet (no deadline).
     */
    public static long deadlineMs(long startNanos) {
        Sample s = sample;
        return s == null ? 0 : s.redisMsAt(startNanos + callTimeout.toNanos()) - s.errorMs() - 1;
    }

    private void sync() {
        long sent = System.nanoTime();
        Outages.redis(redis.getRedis().send(Request.cmd(Command.TIME))).subscribe().with(r -> {
            long received = System.nanoTime();
            long errorMs = (received - sent) / 2_000_000 + 1;
            Sample s = new Sample(r.get(0).toLong() * 1000 + r.get(1).toLong() / 1000, sent + (received - sent) / 2, errorMs);
            Sample old = sample;
            if (old == null || errorMs <= USEFUL_ROUND_TRIP_MS / 2 || errorMs <= old.errorMs()) {
                sample = s;
            }
        }, e -> Log.debugf("Redis TIME not read: %s", e.getMessage()));
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timer);
    }
}
