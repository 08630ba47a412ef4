package dev.sigil.config;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** sigil.redis.wait-replicas works on every topology (WAIT is batched with the change); only bad values are refused. */
@UnitTest
class ReplicaAckSettingTest {

    static final Duration TWO_SECONDS = Duration.ofSeconds(2);

    @Test
    void replicaAcknowledgementIsAcceptedOnEveryTopology() {
        assertThat(ConfigValidator.redisProblems(1, Duration.ofMillis(500), TWO_SECONDS)).isEmpty();
        assertThat(ConfigValidator.redisProblems(0, Duration.ZERO, TWO_SECONDS)).isEmpty();
    }

    @Test
    void aZeroWaitTimeoutIsRefusedBecauseWaitWouldBlockForever() {
        assertThat(ConfigValidator.redisProblems(1, Duration.ZERO, TWO_SECONDS)).hasSize(1);
        assertThat(ConfigValidator.redisProblems(-1, Duration.ofMillis(500), TWO_SECONDS)).hasSize(1);
    }

    @Test
    void aRedisCallNeedsADeadlineLongerThanTheReplicaWait() {
        assertThat(ConfigValidator.redisProblems(0, Duration.ZERO, Duration.ZERO)).hasSize(1);
        assertThat(ConfigValidator.redisProblems(1, Duration.ofSeconds(2), Duration.ofSeconds(2))).hasSize(1);
        assertThat(ConfigValidator.redisProblems(0, Duration.ofSeconds(2), Duration.ofSeconds(1))).isEmpty();
    }
}
