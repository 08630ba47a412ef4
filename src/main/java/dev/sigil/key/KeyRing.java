package dev.sigil.key;

import dev.sigil.audit.Audit;
import dev.sigil.config.SigilConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The signing keys and which one signs now. Keys come from a directory that is re-read periodically;
 * the active key is the newest whose activation instant has passed, so replicas switch together.
 * Start-up fails, saying what is missing, when no key can sign.
 */
@Startup
@ApplicationScoped
public class KeyRing {

    private final SigilConfig config;
    private final Path dir;
    private final Duration retention;
    private final Vertx vertx;
    private final Clock clock;
    private final Audit audit;
    private final long timerId;
    private volatile List<SigningKey> keys;
    private volatile KeyView view;
    /** The last read's skipped and group/others-readable files, for the health check; logged when they change. */
    private volatile KeyFiles.Scan lastScan = new KeyFiles.Scan(List.of(), Map.of(), List.of());

    @Inject
    public KeyRing(SigilConfig config, Vertx vertx, Audit audit) {
        this(config, vertx, audit, Clock.systemUTC(), LaunchMode.current());
    }

    KeyRing(SigilConfig config, Vertx vertx, Audit audit, Clock clock, LaunchMode mode) {
        this.audit = audit;
        CryptoProviders.install(config.crypto().fastProvider());
        this.config = config;
        this.vertx = vertx;
        this.clock = clock;
        // A retired key is published until the last token it signed has expired, plus clock skew.
        this.retention = config.tokens().accessLifetime().plus(config.tokens().clockSkew());
        this.dir = config.keys().dir().orElseGet(() -> devDir(config, mode));
        this.keys = loadOrFail();
        this.view = KeyView.at(keys, clock.instant(), retention);
        Log.infof("Signing with key %s; publishing %d key(s) from %s", view.active().kid(), view.published().size(), dir);
        long interval = Math.max(1000, config.keys().reloadInterval().toMillis());
        this.timerId = vertx.setPeriodic(interval, id -> vertx.executeBlocking(this::reload, false));
    }

    /** The current view; rebuilt on the spot when the clock has passed a key's activation or drop time. */
    public KeyView view() {
        KeyView v = view;
        Instant now = clock.instant();
        if (!now.isBefore(v.validUntil())) {
            v = KeyView.at(keys, now, retention);
            replaceView(v);
        }
        return v;
    }

    /**
     * Installs a new view and logs {@code key_activated} when its active key differs from the last one,
     * whoever noticed first: a request ({@link #view()}) or the periodic reload.
     */
    private synchronized void replaceView(KeyView next) {
        KeyView previous = view;
        view = next;
        if (!next.active().kid().equals(previous.active().kid())) {
            audit.event("key_activated", "ok").with("kid", next.active().kid()).with("activates_at", next.active().activatesAt()).log();
        }
    }

    public SigningKey active() {
        return view().active();
    }

    /** The ring's clock reading; take {@code iat} and {@link #activeAt} from one such instant. */
    public Instant now() {
        return clock.instant();
    }

    /** The key that signs at {@code instant} (see {@link KeyView#activeAt}). */
    public SigningKey activeAt(Instant instant) {
        return view().activeAt(instant);
    }

    /** Key files the last read skipped (name to reason), for the health check. */
    public Map<String, String> skippedFiles() {
        return lastScan.skipped();
    }

    /** Key files the group or others may read, as of the last read. */
    public List<String> exposedFiles() {
        return lastScan.exposed();
    }

    // Package-private for the clock-driven unit test; in service it runs on the periodic timer.
    Void reload() {
        try {
            List<SigningKey> fresh = record(KeyFiles.scan(dir));
            Instant now = clock.instant();
            KeyView next = KeyView.at(fresh, now, retention);
            warnAboutLateKeys(fresh, now);
            keys = fresh;
            replaceView(next);
        } catch (RuntimeException | IOException e) {
            // Keep signing with what we have: an unreadable directory (or one left with no active key) must not
            // take the service down. Single bad files never get here: the scan skips them.
            Log.errorf("Key directory %s could not be re-read, keeping the previous keys: %s", dir, e.getMessage());
        }
        return null;
    }

    /** A key that appears with less lead than verifiers need to see it before it signs gets a loud warning. */
    private void warnAboutLateKeys(List<SigningKey> fresh, Instant now) {
        Duration needed = config.keys().jwksMaxAge().plus(config.keys().reloadInterval());
        for (SigningKey k : fresh) {
            boolean isNew = keys.stream().noneMatch(old -> old.kid().equals(k.kid()));
            if (isNew && k.activatesAt().isAfter(now)) {
                Duration lead = Duration.between(now, k.activatesAt());
                if (lead.compareTo(needed) < 0) {
                    Log.warnf("Key %s activates in %ds, less than JWKS max-age + reload interval (%ds): verifiers with a cached "
                            + "JWKS may briefly refuse its tokens; give new keys at least sigil.keys.activation-lead of notice",
                            k.kid(), lead.toSeconds(), needed.toSeconds());
                } else {
                    audit.event("key_published", "ok").with("kid", k.kid()).with("activates_at", k.activatesAt()).log();
                }
            }
        }
    }

    /**
     * Keeps the scan for the health check and logs what changed since the previous one: an ERROR per
     * newly skipped file, a WARN per newly exposed file (once, not at every re-read). Returns its keys.
     */
    private List<SigningKey> record(KeyFiles.Scan scan) {
        KeyFiles.Scan previous = lastScan;
        scan.skipped().forEach((name, reason) -> {
            if (!reason.equals(previous.skipped().get(name))) {
                Log.errorf("Skipping key file %s in %s, the other keys are used: %s", name, dir, reason);
            }
        });
        for (String name : scan.exposed()) {
            if (!previous.exposed().contains(name)) {
                Log.warnf("Key file %s in %s is readable by its group or by others; make it readable by Sigil's user "
                        + "only (chmod 0400, or defaultMode: 0400 on a Kubernetes secret volume)", name, dir);
            }
        }
        lastScan = scan;
        return scan.keys();
    }

    private List<SigningKey> loadOrFail() {
        try {
            List<SigningKey> loaded = record(KeyFiles.scan(dir));
            if (loaded.stream().noneMatch(k -> !k.activatesAt().isAfter(clock.instant()))) {
                throw new IllegalStateException(missingKeysMessage()
                        + (lastScan.skipped().isEmpty() ? "" : " Skipped: " + lastScan.skipped()));
            }
            return loaded;
        } catch (IOException e) {
            throw new IllegalStateException("Key directory " + dir + " could not be read: " + e.getMessage());
        }
    }

    private String missingKeysMessage() {
        return "No signing key is active in " + dir + ". Set sigil.keys.dir (environment variable SIGIL_KEYS_DIR) "
                + "to a directory holding at least one PKCS#8 PEM RSA private key (>= 2048 bits) named after its "
                + "activation instant in UTC, e.g. 20261128T120000Z.pem, with that instant in the past. "
                + "Create one with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out \"$SIGIL_KEYS_DIR/$(date -u +%Y%m%dT%H%M%SZ).pem\"";
    }

    /** Dev and test may generate a key; prod must be given one. */
    private static Path devDir(SigilConfig config, LaunchMode mode) {
        if (mode == LaunchMode.NORMAL) {
            throw new IllegalStateException("sigil.keys.dir (environment variable SIGIL_KEYS_DIR) is not set: "
                    + "production needs a directory of PKCS#8 PEM RSA signing keys named <activation>.pem, "
                    + "e.g. 20261128T120000Z.pem (see docs/operations.md, 'Signing keys')");
        }
        Path devDir = config.keys().devDir();
        try {
            if (KeyFiles.load(devDir).isEmpty()) {
                Path file = KeyFiles.generate(devDir, Instant.now().minusSeconds(1));
                Log.warnf("No sigil.keys.dir configured: generated a DEVELOPMENT signing key at %s. "
                        + "Never use it in production; configure SIGIL_KEYS_DIR there.", file.toAbsolutePath());
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Could not generate a development key in " + devDir + ": " + e.getMessage());
        }
        return devDir;
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timerId);
    }
}
