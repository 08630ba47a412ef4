package dev.sigil.support;

import dev.sigil.session.SessionWriteHook;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Pauses a login or refresh of a chosen user between reading the user and the session script, until the test
 * releases it: a forced interleaving, not a sleep. Logins of other users pass straight through.
 */
@Alternative
@ApplicationScoped
public class PausingSessionWriteHook implements SessionWriteHook {

    /** One pause: the test waits until the login {@link #reached} it, does its change, then {@link #release}s it. */
    public static final class Pause {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CompletableFuture<Void> released = new CompletableFuture<>();

        public void awaitReached() throws InterruptedException {
            if (!reached.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("the login never reached the pause");
            }
        }

        public void release() {
            released.complete(null);
        }
    }

    private static final Map<UUID, Queue<Pause>> PAUSES = new ConcurrentHashMap<>();

    /** The next login or refresh of {@code user} (the n-th call pauses at the n-th registered pause). */
    public static Pause pauseNext(UUID user) {
        Pause p = new Pause();
        PAUSES.computeIfAbsent(user, u -> new ConcurrentLinkedQueue<>()).add(p);
        return p;
    }

    @Override
    public Uni<Void> afterUserRead(UUID userId) {
        Queue<Pause> queue = PAUSES.get(userId);
        Pause p = queue == null ? null : queue.poll();
        if (p == null) {
            return Uni.createFrom().voidItem();
        }
        Context context = Vertx.currentContext();
        p.reached.countDown();
        // Resume on the login's own Vert.x context, as the reactive clients require.
        return Uni.createFrom().emitter(e -> p.released.whenComplete((v, t) -> context.runOnContext(x -> e.complete(null))));
    }
}
