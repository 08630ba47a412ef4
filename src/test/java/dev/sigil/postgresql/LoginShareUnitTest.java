package dev.sigil.postgresql;

import dev.sigil.support.UnitTest;
import dev.sigil.config.TestConfig;
import dev.sigil.error.SigilException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The login share as pure logic: its size from the settings, and the permits it hands out and takes back. */
@UnitTest
class LoginShareUnitTest {

    @Test
    void unsetTheShareLeavesThirtyPercentOrTwoConnectionsToEverythingElse() {
        assertThat(LoginShare.share(OptionalInt.empty(), 20)).isEqualTo(14);
        assertThat(LoginShare.share(OptionalInt.empty(), 6)).isEqualTo(4);
        assertThat(LoginShare.share(OptionalInt.empty(), 2)).as("too small to share: the whole pool").isEqualTo(2);
        assertThat(LoginShare.share(OptionalInt.of(3), 20)).isEqualTo(3);
    }

    @Test
    void aCallOverTheShareIsRefusedWithoutRunningAndEachEndGivesItsPermitBack() {
        LoginShare share = new LoginShare(TestConfig.sigil(Map.of("sigil.postgresql.login-share", "2")), 6, new SimpleMeterRegistry());
        AtomicInteger started = new AtomicInteger();
        List<Cancellable> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(share.run(() -> Uni.createFrom().<String>emitter(e -> started.incrementAndGet())).subscribe().with(x -> { }, e -> { }));
        }
        assertThatThrownBy(() -> share.run(() -> Uni.createFrom().item(started.incrementAndGet())).await().atMost(Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(SigilException.class, e -> assertThat(e.code.code()).isEqualTo("unavailable"));
        assertThat(started).hasValue(2);
        held.get(0).cancel(); // a cancelled request gives its permit back
        assertThat(share.run(() -> Uni.createFrom().item("ok")).await().atMost(Duration.ofSeconds(1))).isEqualTo("ok");
        assertThatThrownBy(() -> share.run(() -> Uni.createFrom().failure(new IllegalStateException("x"))).await().atMost(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class); // and so do an item and a failure
        held.get(1).cancel();
        for (int i = 0; i < 2; i++) {
            share.run(() -> Uni.createFrom().<String>emitter(e -> { })).subscribe().with(x -> { }, e -> { });
        }
        assertThatThrownBy(() -> share.run(() -> Uni.createFrom().item("over")).await().atMost(Duration.ofSeconds(1)))
                .isInstanceOf(SigilException.class);
    }
}
