package dev.sigil.audit;

import dev.sigil.support.UnitTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Plain unit test: counters exist at zero before any event, so dashboards see 0 on a fresh replica, and
 * every event the main code names is among them.
 */
@UnitTest
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

    /** Reads the main sources: an {@code audit.event("x", "y")} or {@code audit.count("x", "y")} added without its KNOWN entry fails here. */
    @Test
    void everyEventNamedInMainCodeIsRegisteredAtStart() throws IOException {
        Pattern blockComment = Pattern.compile("(?s)/\\*.*?\\*/");
        Pattern call = Pattern.compile("audit\\s*\\.\\s*(?:event|count)\\(\\s*\"([a-z_]+)\"\\s*,\\s*\"([a-z_]+)\"");
        TreeSet<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = call.matcher(blockComment.matcher(Files.readString(f)).replaceAll("")); // Javadoc examples are no events
                while (m.find()) {
                    named.add(m.group(1) + "/" + m.group(2));
                }
            }
        }
        assertThat(named).as("events found in src/main/java").hasSizeGreaterThan(30).contains("login/ok", "client_token/issued");
        TreeSet<String> known = new TreeSet<>();
        Audit.KNOWN.forEach((event, outcomes) -> outcomes.forEach(o -> known.add(event + "/" + o)));
        assertThat(known).as("Audit.KNOWN").containsAll(named);
    }
}
