package dev.sigil.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** sigil.redis.wait-replicas needs WAIT on the connection that wrote: refused at start-up where that cannot work. */
class ReplicaAckSettingTest {

    @Test
    void replicaAcknowledgementIsAcceptedOnStandaloneAndSentinel() {
        assertThat(ConfigValidator.redisProblems(1, Duration.ofMillis(500), "standalone")).isEmpty();
        assertThat(ConfigValidator.redisProblems(1, Duration.ofMillis(500), "sentinel")).isEmpty();
        assertThat(ConfigValidator.redisProblems(0, Duration.ZERO, "cluster")).isEmpty();
    }

    @Test
    void replicaAcknowledgementIsRefusedOnRedisCluster() {
        assertThat(ConfigValidator.redisProblems(1, Duration.ofMillis(500), "cluster"))
                .singleElement().asString().contains("min-replicas-to-write");
    }

    @Test
    void aZeroWaitTimeoutIsRefusedBecauseWaitWouldBlockForever() {
        assertThat(ConfigValidator.redisProblems(1, Duration.ZERO, "standalone")).hasSize(1);
        assertThat(ConfigValidator.redisProblems(-1, Duration.ofMillis(500), "standalone")).hasSize(1);
    }
}
