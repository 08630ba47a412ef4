package dev.sigil.password;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The cap on hashes in flight, as pure logic. */
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
}
