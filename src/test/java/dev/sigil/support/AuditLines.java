package dev.sigil.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The {@code sigil.audit} lines written during each test, as a JUnit 5 extension: register it on an instance
 * field ({@code @RegisterExtension final AuditLines audit = new AuditLines();}) and read {@link #lines()}. It
 * listens from before each test to after it, and starts each test with no lines.
 */
public final class AuditLines implements BeforeEachCallback, AfterEachCallback {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
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
    };

    /** The captured messages, live: lines written later appear in the same list. */
    public List<String> lines() {
        return lines;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        lines.clear();
        Logger.getLogger("sigil.audit").addHandler(handler);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Logger.getLogger("sigil.audit").removeHandler(handler);
    }
}
