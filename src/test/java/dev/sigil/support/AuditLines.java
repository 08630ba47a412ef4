package dev.sigil.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures the {@code sigil.audit} lines written while attached (attach in @BeforeEach, detach in @AfterEach). */
public final class AuditLines extends Handler {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    /** The captured messages, live: lines written later appear in the same list. */
    public List<String> lines() {
        return lines;
    }

    public void attach() {
        Logger.getLogger("sigil.audit").addHandler(this);
    }

    public void detach() {
        Logger.getLogger("sigil.audit").removeHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        lines.add(r.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
