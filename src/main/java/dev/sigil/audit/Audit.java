package dev.sigil.audit;

import dev.sigil.id.SessionId;
import dev.sigil.id.UserId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Security events: one structured line each on the {@code sigil.audit} logger (key=value text; with
 * JSON logging on, the same fields as MDC members) and a Prometheus counter
 * {@code sigil_<event>_total{outcome}}. Fields are ids, addresses and outcomes; never a secret.
 * {@code @Startup}: created when the service starts, not at the first event, so its counters exist before
 * anything happens (a replica whose bootstrap admin already exists may see no event for a long time).
 */
@Startup
@ApplicationScoped
public class Audit {

    private static final Logger LOG = Logger.getLogger("sigil.audit");

    private final MeterRegistry registry;

    /**
     * Every event and outcome Sigil counts. Their counters are registered at zero when the bean starts,
     * so that a fresh replica already exports them: rate() and absent() alerts then see 0, not "no data".
     * A new {@code audit.event("x", "y")} needs its entry here (AuditCountersTest reads the sources for them).
     */
    static final Map<String, List<String>> KNOWN = Map.ofEntries(
            Map.entry("login", List.of("ok", "invalid_credentials", "locked", "rate_limited", "unavailable", "mfa_required")),
            Map.entry("login_mfa", List.of("ok", "invalid_mfa_code", "invalid_mfa_token", "invalid_token", "locked")),
            Map.entry("refresh", List.of("rotated", "grace", "invalid", "reused", "duplicate_cookie")),
            Map.entry("logout", List.of("ok", "duplicate_cookie")),
            Map.entry("sessions_revoked", List.of("one", "all")),
            Map.entry("session_evicted", List.of("ok")),
            Map.entry("lockout", List.of("started")),
            Map.entry("password_change", List.of("ok", "wrong_current_password", "locked")),
            Map.entry("password_hash_upgraded", List.of("ok")),
            Map.entry("user_created", List.of("ok")),
            Map.entry("user_updated", List.of("ok")),
            Map.entry("user_disabled", List.of("ok")),
            Map.entry("user_deleted", List.of("ok")),
            Map.entry("password_reset", List.of("ok")),
            Map.entry("bootstrap_admin_created", List.of("ok")),
            Map.entry("key_published", List.of("ok")),
            Map.entry("key_activated", List.of("ok")),
            Map.entry("client_created", List.of("ok")),
            Map.entry("client_updated", List.of("ok")),
            Map.entry("client_deleted", List.of("ok")),
            Map.entry("client_disabled", List.of("ok")),
            Map.entry("client_secret_rotated", List.of("ok")),
            Map.entry("client_keys_set", List.of("ok")),
            Map.entry("token_revoked", List.of("ok")),
            Map.entry("client_token", List.of("issued")),
            Map.entry("token_exchange", List.of("ok", "refused")),
            Map.entry("mfa_enrolment", List.of("started", "confirmed", "ticket_issued")),
            Map.entry("mfa_removed", List.of("ok")),
            Map.entry("mfa_reset", List.of("ok")),
            Map.entry("mfa_step_up", List.of("ok")),
            Map.entry("passkey_registered", List.of("ok", "rejected")),
            Map.entry("passkey_assertion", List.of("rejected")),
            Map.entry("passkey_clone_suspected", List.of("refused")),
            Map.entry("passkey_backup_eligibility_changed", List.of("ok")),
            Map.entry("passkey_removed", List.of("ok")),
            Map.entry("passkeys_reset", List.of("ok")),
            Map.entry("mfa_recovery_code", List.of("used")),
            Map.entry("mfa_secret", List.of("undecryptable")),
            Map.entry("mail", List.of("sent", "retried", "failed")),
            Map.entry("account_mail", List.of("dropped")),
            Map.entry("password_reset_request", List.of("accepted", "unknown_address", "dropped")),
            Map.entry("email_verification", List.of("requested", "verified", "invalid_token")),
            Map.entry("email_change", List.of("requested", "dropped", "wrong_password")));

    public Audit(MeterRegistry registry) {
        this.registry = registry;
        KNOWN.forEach((event, outcomes) -> outcomes.forEach(outcome -> counter(event, outcome)));
    }

    private Counter counter(String event, String outcome) {
        return registry.counter("sigil." + event, "outcome", outcome);
    }

    /** Counts an outcome of a frequent, routine operation (a rotation) without an audit line. */
    public void count(String event, String outcome) {
        counter(event, outcome).increment();
    }

    /** Counts {@code n} occurrences at once (sessions revoked together). */
    public void count(String event, String outcome, long n) {
        counter(event, outcome).increment(n);
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
