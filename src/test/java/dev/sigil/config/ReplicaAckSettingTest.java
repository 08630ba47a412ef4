package dev.sigil.config;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up check of sigil.redis.wait-replicas and its timeouts: only values that contradict each other are
 * refused. The check has no topology to look at (WAIT is batched with the change, so it works on standalone,
 * Sentinel and Cluster alike, and is no longer refused on Cluster); that it works on each is shown by
 * ReplicaAckTest (standalone) and RedisTopologiesIT (Sentinel, Cluster).
 */
@UnitTest
class ReplicaAckSettingTest {

    static final Duration TWO_SECONDS = Duration.ofSeconds(2);

    @Test
    void replicaAcknowledgementWithAPositiveWaitBelowTheCallTimeoutIsAccepted() {
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
