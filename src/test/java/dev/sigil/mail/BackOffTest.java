package dev.sigil.mail;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@UnitTest
class BackOffTest {

    private static final Duration BASE = Duration.ofSeconds(5);
    private static final Duration MAX = Duration.ofMinutes(30);

    @Test
    void theWaitDoublesFromTheBaseAfterEachFailedAttempt() {
        assertThat(MailRelay.backOff(1, BASE, MAX)).isEqualTo(Duration.ofSeconds(5));
        assertThat(MailRelay.backOff(2, BASE, MAX)).isEqualTo(Duration.ofSeconds(10));
        assertThat(MailRelay.backOff(4, BASE, MAX)).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void theWaitStopsAtTheMaximumAndNeverOverflows() {
        assertThat(MailRelay.backOff(10, BASE, MAX)).isEqualTo(MAX);
        assertThat(MailRelay.backOff(1_000, BASE, MAX)).isEqualTo(MAX);
        assertThat(MailRelay.backOff(0, BASE, MAX)).isEqualTo(BASE);
    }

    @Test
    void onlyAnUnreachableServerCountsAsAnOutage() {
        assertThat(MailRelay.unreachable(new RuntimeException(new java.net.ConnectException("Connection refused")))).isTrue();
        assertThat(MailRelay.unreachable(new java.util.concurrent.TimeoutException("no answer"))).isTrue();
        assertThat(MailRelay.unreachable(new IllegalStateException("550 5.1.1 mailbox unavailable"))).isFalse();
    }
}
