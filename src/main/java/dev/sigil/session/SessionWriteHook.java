package dev.sigil.session;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * A seam that login and refresh pass between reading the user and running the session script
 * (create or rotate): {@link SessionStore} passes it right before either script. It does nothing in Sigil; tests replace it to pause there and force the
 * interleaving with a concurrent change to the user (no sleeps).
 */
public interface SessionWriteHook {

    Uni<Void> afterUserRead(UUID userId);

    @ApplicationScoped
    @DefaultBean
    final class None implements SessionWriteHook {
        @Override
        public Uni<Void> afterUserRead(UUID userId) {
            return Uni.createFrom().voidItem();
        }
    }
}
