package dev.sigil.mfa;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** The time TOTP codes (and the age of a step-up) are checked against. A bean so that tests can move it instead of waiting. */
@ApplicationScoped
public class TotpClock {

    public Instant now() {
        return Instant.now();
    }
}
