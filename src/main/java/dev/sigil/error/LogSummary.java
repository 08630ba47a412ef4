package dev.sigil.error;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one log line per kind of event per interval. An outage fails every request alike, and one WARN
 * line each filled 78 MiB of log in 40 s (issue 30); the first line of an interval is logged with the
 * number of like lines held back since the previous one. Kinds are a small fixed set (a dependency's name).
 */
final class LogSummary {

    private final long intervalNanos;
    /** Per kind: {when the next line may be logged (nanoTime), lines held back since the last one}. */
    private final Map<String, long[]> kinds = new ConcurrentHashMap<>();

    LogSummary(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** -1 when this event's line is held back, else the number of lines held back before it (log it now). */
    long admit(String kind, long nowNanos) {
        long[] heldBack = {-1};
        kinds.compute(kind, (k, w) -> {
            if (w == null || nowNanos - w[0] >= 0) {
                heldBack[0] = w == null ? 0 : w[1];
                return new long[]{nowNanos + intervalNanos, 0};
            }
            w[1]++;
            return w;
        });
        return heldBack[0];
    }
}
