package dev.sigil.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Plain unit test: counters exist at zero before any event, so dashboards see 0 on a fresh replica. */
class AuditCountersTest {

    @Test
    void everyKnownOutcomeIsRegisteredAtZeroBeforeAnyEvent() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new Audit(registry);
        Audit.KNOWN.forEach((event, outcomes) -> outcomes.forEach(outcome -> {
            Counter c = registry.find("sigil." + event).tag("outcome", outcome).counter();
            assertNotNull(c, "sigil." + event + "{outcome=" + outcome + "}");
            assertEquals(0.0, c.count());
        }));
        assertNotNull(registry.find("sigil.login").tag("outcome", "locked").counter());
        assertNotNull(registry.find("sigil.refresh").tag("outcome", "reused").counter());
    }

    @Test
    void countingAddsToTheRegisteredCounter() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Audit audit = new Audit(registry);
        audit.count("refresh", "rotated");
        audit.count("sessions_revoked", "all", 3);
        assertEquals(1.0, registry.find("sigil.refresh").tag("outcome", "rotated").counter().count());
        assertEquals(3.0, registry.find("sigil.sessions_revoked").tag("outcome", "all").counter().count());
    }
}
