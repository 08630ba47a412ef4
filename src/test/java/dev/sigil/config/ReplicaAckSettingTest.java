package dev.sigil.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** sigil.redis.wait-replicas works on every topology (WAIT is batched with the change); only bad values are refused. */
class ReplicaAckSettingTest {

    @Test
    void replicaAcknowledgementIsAcceptedOnEveryTopology() {
        assertThat(ConfigValidator.redisProblems(1, Duration.ofMillis(500))).isEmpty();
        assertThat(ConfigValidator.redisProblems(0, Duration.ZERO)).isEmpty();
    }

    @Test
    void aZeroWaitTimeoutIsRefusedBecauseWaitWouldBlockForever() {
        assertThat(ConfigValidator.redisProblems(1, Duration.ZERO)).hasSize(1);
        assertThat(ConfigValidator.redisProblems(-1, Duration.ofMillis(500))).hasSize(1);
    }
}
