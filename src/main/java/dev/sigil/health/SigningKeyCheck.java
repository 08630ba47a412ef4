package dev.sigil.health;

import dev.sigil.key.KeyRing;
import dev.sigil.key.SigningKey;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while a key can sign; the details name key files that were skipped or that the group or others
 * may read. PostgreSQL and Redis are not part of readiness (see {@link DependenciesCheck}).
 */
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
            HealthCheckResponseBuilder up = HealthCheckResponse.named("signing-key").up()
                    .withData("kid", active.kid())
                    .withData("published", keys.view().published().size());
            // Still UP while a key can sign; the names (never reasons or content) tell the operator what to fix.
            if (!keys.skippedFiles().isEmpty()) {
                up.withData("skipped_files", String.join(",", keys.skippedFiles().keySet()));
            }
            if (!keys.exposedFiles().isEmpty()) {
                up.withData("readable_by_others", String.join(",", keys.exposedFiles()));
            }
            return up.build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("signing-key").down().build();
        }
    }
}
