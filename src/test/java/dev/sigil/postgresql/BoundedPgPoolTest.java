package dev.sigil.postgresql;

import dev.sigil.support.UnitTest;
import dev.sigil.config.TestConfig;
import io.vertx.sqlclient.PoolOptions;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool's bounds come from Sigil's settings, without booting Quarkus. */
@UnitTest
class BoundedPgPoolTest {

    @Test
    void theAcquireTimeoutAndTheWaitQueueComeFromTheSettings() {
        PoolOptions o = BoundedPgPool.bound(new PoolOptions().setMaxSize(20),
                TestConfig.sigil(Map.of("sigil.postgresql.acquire-timeout", "PT1.5S", "sigil.postgresql.max-waiting", "7")).postgresql());
        assertThat(o.getConnectionTimeout()).isEqualTo(1500);
        assertThat(o.getConnectionTimeoutUnit()).isEqualTo(TimeUnit.MILLISECONDS);
        assertThat(o.getMaxWaitQueueSize()).isEqualTo(7);
        assertThat(o.getMaxSize()).as("Quarkus' own pool settings stay").isEqualTo(20);
    }

    @Test
    void theDefaultsAreTwoSecondsAnd200Waiters() {
        PoolOptions o = BoundedPgPool.bound(new PoolOptions(), TestConfig.sigil(Map.of()).postgresql());
        assertThat(o.getConnectionTimeout()).isEqualTo(2000);
        assertThat(o.getMaxWaitQueueSize()).isEqualTo(200);
    }
}
