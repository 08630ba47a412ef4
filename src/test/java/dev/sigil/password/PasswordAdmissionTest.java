package dev.sigil.password;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The cap on hashes in flight, as pure logic. */
@UnitTest
class PasswordAdmissionTest {

    @Test
    void theCapAdmitsExactlyMaxAndFreesASlotOnExit() {
        AtomicInteger slots = new AtomicInteger();
        int admitted = 0;
        for (int i = 0; i < 80; i++) {
            if (PasswordHasher.tryEnter(slots, 64)) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(64);
        assertThat(slots.get()).isEqualTo(64);
        slots.decrementAndGet();
        assertThat(PasswordHasher.tryEnter(slots, 64)).isTrue();
        assertThat(PasswordHasher.tryEnter(slots, 64)).isFalse();
    }

    @Test
    void concurrentEntriesNeverPassTheCap() throws Exception {
        AtomicInteger slots = new AtomicInteger();
        AtomicInteger admitted = new AtomicInteger();
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    if (PasswordHasher.tryEnter(slots, 64)) {
                        admitted.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(admitted.get()).isEqualTo(64);
    }

    /**
     * Issue 30, finding 9: the gauge read -1 once. A check whose request is cancelled just as its hash
     * completes must give its slot back exactly once, whichever comes first.
     */
    @Test
    void cancellationRacingCompletionGivesTheSlotBackExactlyOnce() throws Exception {
        AtomicInteger slots = new AtomicInteger();
        java.util.concurrent.ExecutorService racers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 20_000; i++) {
                assertThat(PasswordHasher.tryEnter(slots, 64)).isTrue();
                java.util.concurrent.CompletableFuture<String> hash = new java.util.concurrent.CompletableFuture<>();
                io.smallrye.mutiny.subscription.Cancellable request = PasswordHasher.exitOnce(slots,
                        io.smallrye.mutiny.Uni.createFrom().completionStage(hash)).subscribe().with(x -> { }, e -> { });
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                var done = racers.submit(() -> { start.await(); return hash.complete("phc"); });
                var cancelled = racers.submit(() -> { start.await(); request.cancel(); return true; });
                done.get();
                cancelled.get();
                assertThat(slots.get()).as("slots after check %d", i).isZero();
            }
        } finally {
            racers.shutdownNow();
        }
    }
}
