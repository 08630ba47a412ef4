package dev.sigil.postgresql;

import dev.sigil.config.SigilConfig;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The reactive PostgreSQL pool with a bound on waiting for a connection. Quarkus has no setting for the
 * pool's acquisition timeout, and Vert.x' default lets a request wait 30 s with no limit on the queue: with
 * every connection held behind a locked table, unrelated requests (a grant, {@code /me}) waited that long.
 * A waiter past {@code sigil.postgresql.acquire-timeout}, or beyond {@code max-waiting}, fails at once and
 * answers 503 with Retry-After (see {@code Outages.postgresql}).
 */
@Singleton
public class BoundedPgPool implements PgPoolCreator {

    private final SigilConfig.Postgresql config;

    public BoundedPgPool(SigilConfig config) {
        this.config = config.postgresql();
    }

    @Override
    public Pool create(Input input) {
        return PgBuilder.pool()
                .with(bound(input.poolOptions(), config))
                .connectingTo(new ArrayList<SqlConnectOptions>(input.pgConnectOptionsList()))
                .using(input.vertx())
                .build();
    }

    /** {@code options} with Sigil's bounds on the wait for a connection. */
    static PoolOptions bound(PoolOptions options, SigilConfig.Postgresql config) {
        return options.setConnectionTimeout((int) config.acquireTimeout().toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWaitQueueSize(config.maxWaiting());
    }
}
