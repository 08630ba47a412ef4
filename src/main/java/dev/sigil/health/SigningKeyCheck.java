package dev.sigil.health;

import dev.sigil.key.KeyRing;
import dev.sigil.key.SigningKey;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while a key can sign. PostgreSQL and Redis have their own readiness checks from their extensions. */
@Readiness
@ApplicationScoped
public class SigningKeyCheck implements HealthCheck {

    private final KeyRing keys;

    public SigningKeyCheck(KeyRing keys) {
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            SigningKey active = keys.active();
            return HealthCheckResponse.named("signing-key").up()
                    .withData("kid", active.kid())
                    .withData("published", keys.view().published().size())
                    .build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("signing-key").down().build();
        }
    }
}
