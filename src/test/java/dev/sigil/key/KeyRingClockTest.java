package dev.sigil.key;

import dev.sigil.support.UnitTest;
import dev.sigil.audit.Audit;
import dev.sigil.config.TestConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.LaunchMode;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key timeline through {@link KeyRing} itself, driven by a clock the test moves: no sleeps, no
 * Quarkus. Keys are real files in a temporary directory.
 */
@UnitTest
class KeyRingClockTest {

    /** A clock the test sets. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    private static final Instant T1 = T0.plus(Duration.ofHours(1));

    @TempDir
    Path dir;
    private Vertx vertx;
    private SimpleMeterRegistry meters;
    private KeyRing ring;
    private MovableClock clock;
    private String oldKid;
    private String newKid;

    @BeforeEach
    void start() throws Exception {
        oldKid = KeyFiles.read(KeyFiles.generate(dir, T0), T0).kid();
        newKid = KeyFiles.read(KeyFiles.generate(dir, T1), T1).kid();
        vertx = Vertx.vertx();
        meters = new SimpleMeterRegistry();
        clock = new MovableClock(T1.minusSeconds(60));
        // A long reload interval: the test calls reload() itself.
        ring = new KeyRing(TestConfig.sigil(Map.of("sigil.keys.dir", dir.toString(), "sigil.keys.reload-interval", "PT1H",
                "sigil.keys.activation-lead", "PT1H")), vertx, new Audit(meters), clock, LaunchMode.TEST);
    }

    @AfterEach
    void stop() {
        ring.stop();
        vertx.close();
    }

    private double activations() {
        return meters.find("sigil.key_activated").tag("outcome", "ok").counter().count();
    }

    @Test
    void beforeItsInstantTheNextKeyIsPublishedButDoesNotSign() {
        assertThat(ring.active().kid()).isEqualTo(oldKid);
        assertThat(ring.view().byKid()).containsKeys(oldKid, newKid);
    }

    @Test
    void atItsInstantTheNextKeySignsAndTheActivationIsAuditedOnce() {
        clock.set(T1);
        assertThat(ring.active().kid()).isEqualTo(newKid);
        assertThat(ring.active().kid()).isEqualTo(newKid);
        assertThat(activations()).isEqualTo(1.0);
    }

    @Test
    void aReloadThatSeesTheActivationFirstAuditsIt() {
        clock.set(T1.plusSeconds(1));
        ring.reload(); // the periodic reload, before any request asks for the view
        assertThat(activations()).isEqualTo(1.0);
        assertThat(ring.active().kid()).isEqualTo(newKid);
        assertThat(activations()).isEqualTo(1.0);
    }

    @Test
    void theRetiredKeyStaysPublishedForTheAccessLifetimePlusSkewThenIsDropped() {
        Duration retention = Duration.ofMinutes(15).plusSeconds(30); // default access lifetime + clock skew
        clock.set(T1.plus(retention).minusMillis(1));
        assertThat(ring.view().byKid()).containsKey(oldKid);
        clock.set(T1.plus(retention));
        assertThat(ring.view().byKid()).doesNotContainKey(oldKid).containsKey(newKid);
    }

    @Test
    void iatAndKidTakenFromOneInstantAgreeAcrossTheActivation() {
        Instant before = T1.minusMillis(1);
        clock.set(T1.plusSeconds(5)); // the ring's view has already moved on
        ring.view();
        assertThat(ring.activeAt(before).kid()).isEqualTo(oldKid);
        assertThat(ring.activeAt(T1).kid()).isEqualTo(newKid);
    }
}
