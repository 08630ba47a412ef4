package dev.sigil.error;

import dev.sigil.support.UnitTest;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Outage classification by what the clients declare (issue 12); plain unit tests, no Quarkus. */
@UnitTest
class OutagesTest {

    private static PgException pg(String sqlState) {
        return new PgException("message", "ERROR", sqlState, "detail");
    }

    @Test
    void anyFailureOfARedisCallIsAnOutage() {
        // CONNECTION_CLOSED was answered 500: its type is neither an IOException nor named like one.
        RuntimeException closed = new RuntimeException("CONNECTION_CLOSED");
        assertThatThrownBy(() -> Outages.redis(Uni.createFrom().failure(closed)).await().indefinitely())
                .isInstanceOf(DependencyUnavailableException.class).hasCause(closed);
    }

    @Test
    void aSigilAnswerFromARedisCallStaysThatAnswer() {
        SigilException refused = new SigilException(ErrorCode.RATE_LIMITED, "later", 3);
        assertThatThrownBy(() -> Outages.redis(Uni.createFrom().failure(refused)).await().indefinitely()).isSameAs(refused);
    }

    @Test
    void postgresqlConnectionAndShutdownStatesAreOutages() {
        assertThat(Outages.isPostgresqlOutage(pg("08006"))).isTrue();  // connection_failure
        assertThat(Outages.isPostgresqlOutage(pg("57P01"))).isTrue();  // admin_shutdown
        assertThat(Outages.isPostgresqlOutage(pg("57P03"))).isTrue();  // cannot_connect_now
        assertThat(Outages.isPostgresqlOutage(pg("53300"))).isTrue();  // too_many_connections
    }

    @Test
    void postgresqlConstraintAndSyntaxErrorsAreNotOutages() {
        assertThat(Outages.isPostgresqlOutage(pg("23505"))).isFalse(); // unique_violation: a 409 or a bug
        assertThat(Outages.isPostgresqlOutage(new RuntimeException("wrapped", pg("23503")))).isFalse();
        assertThat(Outages.isPostgresqlOutage(pg("42601"))).isFalse(); // syntax_error: a bug
    }

    @Test
    void postgresqlFailuresWithoutAnSqlStateAreOutagesExceptProgrammingErrors() {
        assertThat(Outages.isPostgresqlOutage(ClosedConnectionException.INSTANCE)).isTrue();
        assertThat(Outages.isPostgresqlOutage(new IllegalStateException("Pool closed"))).isTrue();
        assertThat(Outages.isPostgresqlOutage(new RuntimeException(new NullPointerException()))).isFalse();
        assertThat(Outages.isPostgresqlOutage(new IllegalArgumentException("bad query"))).isFalse();
    }

    @Test
    void aPostgresqlConstraintViolationPassesThroughUnchanged() {
        PgException duplicate = pg("23505");
        assertThatThrownBy(() -> Outages.postgresql(Uni.createFrom().failure(duplicate)).await().indefinitely()).isSameAs(duplicate);
    }

    @Test
    void aRedisCallWithoutAReplyFailsAsAnOutageAtItsDeadline() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Outages.redis(Uni.createFrom().nothing()).await().atMost(java.time.Duration.ofSeconds(10)))
                .isInstanceOf(DependencyUnavailableException.class).hasRootCauseInstanceOf(java.util.concurrent.TimeoutException.class);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1_900L, 5_000L); // the default 2 s
    }

    @Test
    void outageLinesAreSummarisedToOnePerIntervalWithTheCountHeldBack() {
        LogSummary lines = new LogSummary(java.time.Duration.ofSeconds(10));
        long t = 1_000_000_000L;
        assertThat(lines.admit("redis", t)).isZero();
        for (int i = 0; i < 999; i++) {
            assertThat(lines.admit("redis", t + i * 1_000_000L)).isEqualTo(-1);
        }
        assertThat(lines.admit("postgresql", t)).as("another dependency has its own line").isZero();
        assertThat(lines.admit("redis", t + 10_000_000_000L)).isEqualTo(999);
        assertThat(lines.admit("redis", t + 10_001_000_000L)).isEqualTo(-1);
    }

    @Test
    void statementAndLockTimeoutsArePostgresqlOutages() {
        assertThat(Outages.isPostgresqlOutage(pg("57014"))).as("statement_timeout").isTrue();
        assertThat(Outages.isPostgresqlOutage(pg("55P03"))).as("lock_timeout").isTrue();
        assertThat(Outages.isPostgresqlOutage(pg("55000"))).as("another object state").isFalse();
    }

    @Test
    void aConnectionFailureVertxGivesAsAMessageIsConnectivityAndAProgrammingErrorIsNot() {
        // Future.failedFuture(String) is how the PostgreSQL client fails requests on a closed connection.
        Throwable closed = io.vertx.core.Future.failedFuture("Connection is not active now, current status: CLOSED").cause();
        assertThat(Outages.isConnectivity(new RuntimeException("wrapped", closed))).isTrue();
        assertThat(Outages.isConnectivity(new java.util.concurrent.TimeoutException("Timeout"))).isTrue();
        assertThat(Outages.isConnectivity(new NullPointerException("bug"))).isFalse();
        assertThat(Outages.isConnectivity(new IllegalStateException("bug"))).isFalse();
    }
}
