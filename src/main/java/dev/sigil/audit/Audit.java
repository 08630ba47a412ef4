package dev.sigil.audit;

import dev.sigil.id.SessionId;
import dev.sigil.id.UserId;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Security events: one structured line each on the {@code sigil.audit} logger (key=value text; with
 * JSON logging on, the same fields as MDC members) and a Prometheus counter
 * {@code sigil_<event>_total{outcome}}. Fields are ids, addresses and outcomes; never a secret.
 */
@ApplicationScoped
public class Audit {

    private static final Logger LOG = Logger.getLogger("sigil.audit");

    private final MeterRegistry registry;

    public Audit(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts an outcome of a frequent, routine operation (a rotation) without an audit line. */
    public void count(String event, String outcome) {
        registry.counter("sigil." + event, "outcome", outcome).increment();
    }

    /** Counts {@code n} occurrences at once (sessions revoked together). */
    public void count(String event, String outcome, long n) {
        registry.counter("sigil." + event, "outcome", outcome).increment(n);
    }

    public Entry event(String event, String outcome) {
        return new Entry(event, outcome);
    }

    /** One audit line under construction: {@code audit.event("login", "ok").user(id).session(sid).ip(ip).log()}. */
    public final class Entry {
        private final Map<String, Object> fields = new LinkedHashMap<>();
        private boolean warn;

        private Entry(String event, String outcome) {
            fields.put("event", event);
            fields.put("outcome", outcome);
        }

        public Entry user(UUID user) {
            return with("user", user);
        }

        public Entry user(UserId user) {
            return with("user", user);
        }

        public Entry session(String sid) {
            return with("sid", sid);
        }

        public Entry session(SessionId sid) {
            return with("sid", sid);
        }

        public Entry ip(String address) {
            return with("ip", address);
        }

        public Entry with(String key, Object value) {
            if (value != null) {
                fields.put(key, value);
            }
            return this;
        }

        /** Logged at WARN (suspected attack) instead of INFO. */
        public Entry warn() {
            warn = true;
            return this;
        }

        /** Writes the line and counts it. */
        public void log() {
            StringBuilder line = new StringBuilder();
            fields.forEach((k, v) -> {
                line.append(line.isEmpty() ? "" : " ").append(k).append('=').append(v);
                MDC.put(k, String.valueOf(v));
            });
            try {
                LOG.log(warn ? Logger.Level.WARN : Logger.Level.INFO, line.toString());
            } finally {
                fields.keySet().forEach(MDC::remove);
            }
            count((String) fields.get("event"), (String) fields.get("outcome"));
        }
    }
}
