package dev.sigil.error;

import dev.sigil.redis.RedisClock;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.DatabaseException;
import org.hibernate.JDBCException;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Decides which failures of a call to a dependency are outages (503 with Retry-After) and which are
 * bugs or answers the caller handles. The decision follows what the clients declare, not message text:
 * <ul>
 * <li>Redis: every failure of a call is an outage. The Vert.x Redis client reports a closed connection,
 * a refused one, a timeout, a failover ({@code READONLY}, {@code MASTERDOWN}, {@code CLUSTERDOWN},
 * {@code TRYAGAIN}) and an error reply alike, and Sigil's own scripts return results, not errors.</li>
 * <li>PostgreSQL: a failure that carries an SQL state is an outage only when its class says the server
 * or the connection is gone (08, 53, 57, 58, which includes statement_timeout's 57014) or lock_timeout passed
 * (55P03); any other state (a constraint, a syntax error) is the
 * caller's to handle or a bug. A failure without an SQL state never reached SQL: the connection, the
 * pool or the transport failed, an outage; except the JVM's programming errors, which stay bugs.</li>
 * </ul>
 */
public final class Outages {

    /** SQLSTATE classes of PostgreSQL that mean "the server is not serving": connection, resources, operator intervention, system. */
    static final Set<String> UNAVAILABLE_SQL_CLASSES = Set.of("08", "53", "57", "58");

    /** lock_timeout passed (a table locked by someone else): the statement never ran, an outage like 57014 (statement_timeout). */
    static final String LOCK_NOT_AVAILABLE = "55P03";

    private Outages() {
    }

    /**
     * A call to Redis: any failure becomes 503 {@code unavailable}, and so does no reply within
     * {@code sigil.redis.call-timeout}. The Vert.x client bounds neither the wait for a pooled connection nor
     * the reply (quarkus.redis.timeout applies to the blocking client only): without a deadline a stalled
     * Redis held every request until it woke.
     */
    public static <T> Uni<T> redis(Uni<T> call) {
        Duration timeout = RedisClock.callTimeout();
        return within(call, timeout, () -> new TimeoutException("no reply from Redis within " + timeout.toMillis() + " ms"))
                .onFailure().transform(e -> e instanceof SigilException ? e : new DependencyUnavailableException("redis", e));
    }

    /**
     * {@code call}, failed with {@code late} when it has no item after {@code timeout} (and cancelled). On a
     * Vert.x context the timer is that context's, so the failure arrives on the caller's own context like the
     * reply would have (a reactive Hibernate session must never continue on another thread).
     */
    public static <T> Uni<T> within(Uni<T> call, Duration timeout, Supplier<Throwable> late) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = Vertx.currentContext();
            if (context == null) {
                Cancellable c = call.ifNoItem().after(timeout).failWith(late).subscribe().with(emitter::complete, emitter::fail);
                emitter.onTermination(c::cancel);
                return;
            }
            AtomicReference<Cancellable> upstream = new AtomicReference<>();
            long timer = context.owner().setTimer(Math.max(1, timeout.toMillis()), id -> {
                cancel(upstream);
                emitter.fail(late.get());
            });
            emitter.onTermination(() -> {
                context.owner().cancelTimer(timer);
                cancel(upstream);
            });
            upstream.set(call.subscribe().with(emitter::complete, emitter::fail));
        });
    }

    /** A call to PostgreSQL: outages become 503 {@code unavailable}; SQL errors and bugs pass through unchanged. */
    public static <T> Uni<T> postgresql(Uni<T> call) {
        return call.onFailure().transform(e -> e instanceof SigilException || !isPostgresqlOutage(e) ? e
                : new DependencyUnavailableException("postgresql", e));
    }

    private static void cancel(AtomicReference<Cancellable> call) {
        Cancellable c = call.get();
        if (c != null) {
            c.cancel();
        }
    }

    /** True unless the failure carries an SQL state outside the outage classes, or is a programming error. */
    static boolean isPostgresqlOutage(Throwable e) {
        String state = sqlState(e);
        if (state != null) {
            return state.equals(LOCK_NOT_AVAILABLE) || state.length() >= 2 && UNAVAILABLE_SQL_CLASSES.contains(state.substring(0, 2));
        }
        return Causes.chain(e).noneMatch(t -> t instanceof NullPointerException || t instanceof ClassCastException
                || t instanceof IllegalArgumentException || t instanceof IndexOutOfBoundsException);
    }

    /** The first SQL state found in the cause chain, from Vert.x, Hibernate or JDBC; null when the failure has none. */
    static String sqlState(Throwable e) {
        return Causes.chain(e).map(t -> t instanceof DatabaseException d ? d.getSqlState()
                        : t instanceof JDBCException j ? j.getSQLState()
                        : t instanceof SQLException s ? s.getSQLState() : null)
                .filter(s -> s != null && !s.isEmpty()).findFirst().orElse(null);
    }

    /**
     * Fallback for failures that did not pass through {@link #redis} or {@link #postgresql} (a transaction
     * the framework opens, a pool that refuses a connection): true when the cause chain shows a refused,
     * closed, reset or timed-out connection, or a Vert.x client that declares its connection closed.
     */
    public static boolean isConnectivity(Throwable e) {
        for (Throwable t : (Iterable<Throwable>) Causes.chain(e)::iterator) {
            if (t instanceof ConnectException || t instanceof ClosedChannelException
                    || t instanceof TimeoutException || t instanceof java.io.IOException
                    || t instanceof io.vertx.core.http.ConnectionPoolTooBusyException
                    || t instanceof io.vertx.sqlclient.ClosedConnectionException
                    || t instanceof io.vertx.redis.client.Response
                    || isBareVertxFailure(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A failure that is neither an Exception nor an Error: what Vert.x makes of a failure given as a message
     * ({@code Future.failedFuture(String)}), which its clients use for a connection that closed under a
     * request ("Connection is not active now", "Pending requests failed ... connection has been closed").
     * Recognised by its shape, since the class that carries it lives in a Vert.x {@code impl} package. (A Redis
     * error reply is such a Throwable as well, and a {@link io.vertx.redis.client.Response}.)
     */
    private static boolean isBareVertxFailure(Throwable t) {
        return !(t instanceof Exception) && !(t instanceof Error);
    }
}
