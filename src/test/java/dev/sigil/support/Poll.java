package dev.sigil.support;

import java.time.Duration;

/**
 * Waiting for a condition in tests: poll it with a deadline, never sleep for a lifetime, so that a busy
 * machine only makes a test slower, not red. The deadline is generous; the interval only paces the checks.
 */
public final class Poll {

    /** A condition that may do I/O (Redis, /proc, HTTP) to find out. */
    @FunctionalInterface
    public interface Condition {
        boolean met() throws Exception;
    }

    private Poll() {
    }

    /** Returns once {@code condition} holds; fails with "{@code what} not within {@code timeout}" otherwise. */
    public static void until(String what, Duration timeout, Duration interval, Condition condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!condition.met()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(what + " not within " + timeout);
                }
                Thread.sleep(interval.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for: " + what, e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("while waiting for: " + what, e);
        }
    }
}
