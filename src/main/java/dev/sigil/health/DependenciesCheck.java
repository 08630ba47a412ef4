package dev.sigil.health;

import dev.sigil.error.Outages;
import dev.sigil.redis.RedisClock;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.Wellness;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.time.Duration;

/**
 * Redis and PostgreSQL as this replica sees them, in the wellness group ({@code /q/health/well}), never in
 * readiness. Every replica shares them: a readiness check on them turned a Redis stall or a starved
 * PostgreSQL pool into a fleet-wide outage (each replica's probe hung or went DOWN, so every pod left the
 * Service, and the JWKS with them, though Sigil served it in milliseconds), while the requests that need the
 * dependency answer 503 with Retry-After by themselves. Each check is bounded (Redis by its call timeout,
 * PostgreSQL by 2 s), so the endpoint answers even while a dependency hangs. Alert on this group and on the
 * 503 counts, not on readiness.
 */
@Wellness
@ApplicationScoped
public class DependenciesCheck implements AsyncHealthCheck {

    private static final Duration POSTGRESQL_TIMEOUT = Duration.ofSeconds(2);

    private final ReactiveRedisDataSource redis;
    private final Pool postgresql;

    public DependenciesCheck(ReactiveRedisDataSource redis, Pool postgresql) {
        this.redis = redis;
        this.postgresql = postgresql;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        long start = System.nanoTime();
        Uni<String> redisState = Outages.redis(redis.getRedis().send(Request.cmd(Command.PING)))
                .map(r -> "up").onFailure().recoverWithItem("down");
        Uni<String> pgState = Outages.within(postgresql.query("SELECT 1").execute(), POSTGRESQL_TIMEOUT,
                        () -> new java.util.concurrent.TimeoutException("PostgreSQL"))
                .map(r -> "up").onFailure().recoverWithItem("down");
        return Uni.combine().all().unis(redisState, pgState).asTuple().map(t -> HealthCheckResponse.named("dependencies")
                .status("up".equals(t.getItem1()) && "up".equals(t.getItem2()))
                .withData("redis", t.getItem1())
                .withData("postgresql", t.getItem2())
                .withData("redis_call_timeout_ms", RedisClock.callTimeout().toMillis())
                .withData("checked_in_ms", (System.nanoTime() - start) / 1_000_000)
                .build());
    }
}
