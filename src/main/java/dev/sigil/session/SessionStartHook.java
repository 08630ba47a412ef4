package dev.sigil.session;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * A seam that login passes between reading the user and creating the session. It does nothing in
 * Sigil; tests replace it to pause a login there and force the interleaving with a concurrent
 * disable, delete or password reset (no sleeps).
 */
public interface SessionStartHook {

    Uni<Void> beforeCreate(UUID userId);

    @ApplicationScoped
    @DefaultBean
    final class None implements SessionStartHook {
        @Override
        public Uni<Void> beforeCreate(UUID userId) {
            return Uni.createFrom().voidItem();
        }
    }
}
