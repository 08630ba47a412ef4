package dev.sigil.support;

import dev.sigil.mfa.TotpClock;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** The TOTP clock of the tests: frozen where a test sets it, so a code's step never depends on wall-clock luck. */
@Alternative
@Priority(1)
@ApplicationScoped
public class SettableTotpClock extends TotpClock {

    private final AtomicReference<Instant> now = new AtomicReference<>();

    public void set(Instant instant) {
        now.set(instant);
    }

    @Override
    public Instant now() {
        Instant frozen = now.get();
        return frozen == null ? Instant.now() : frozen;
    }
}
