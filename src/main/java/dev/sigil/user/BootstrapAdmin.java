package dev.sigil.user;

import dev.sigil.audit.Audit;
import dev.sigil.config.SigilConfig;
import dev.sigil.password.PasswordHasher;
import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Creates the first admin from {@code SIGIL_BOOTSTRAP_ADMIN_USERNAME} / {@code _PASSWORD} (/{@code _EMAIL})
 * when no user holds the admin role. Idempotent across restarts and concurrent replicas.
 */
@ApplicationScoped
public class BootstrapAdmin {

    void onStart(@Observes StartupEvent event, SigilConfig config, UserService users, PasswordHasher hasher, Audit audit)
            throws Throwable {
        SigilConfig.Bootstrap b = config.bootstrap();
        if (b.adminUsername().isEmpty() || b.adminPassword().isEmpty()) {
            if (LaunchMode.current() == LaunchMode.NORMAL) {
                Log.warn("No bootstrap admin configured (SIGIL_BOOTSTRAP_ADMIN_USERNAME and SIGIL_BOOTSTRAP_ADMIN_PASSWORD); "
                        + "if no admin exists yet, nobody can use the admin API");
            }
            return;
        }
        String username = b.adminUsername().get();
        boolean created = VertxContextSupport.subscribeAndAwait(() -> hasher.hash(b.adminPassword().get())
                .flatMap(hash -> users.createAdminIfNone(username, hash, b.adminEmail().orElse(null), config.adminRole())));
        if (created) {
            audit.event("bootstrap_admin_created", "ok").with("username", username).log();
        }
    }
}
