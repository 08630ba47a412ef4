package dev.sigil.mfa;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** The time TOTP codes are checked against. A bean so that tests can move it instead of waiting for a step. */
@ApplicationScoped
public class TotpClock {

    public Instant now() {
        return Instant.now();
    }
}
