package dev.sigil.password;

import dev.sigil.config.SigilConfig;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hashes and verifies passwords on a dedicated, bounded worker pool. A cap on hashes in flight
 * (running + queued) turns overload into an immediate 503 instead of an unbounded queue.
 * Results are delivered back on the caller's Vert.x context, so reactive sessions stay on their thread.
 * Passwords are NFKC-normalised ({@link PasswordPolicy#normalize}) before hashing and verifying, so a
 * password typed in another but equivalent Unicode form still matches (NIST SP 800-63B).
 */
@Startup // built at start-up on the main thread: the dummy hash must never be computed on an event loop
@ApplicationScoped
public class PasswordHasher {

    private static final Logger LOG = Logger.getLogger(PasswordHasher.class);
    private final Argon2id argon2;
    private final WorkerExecutor pool;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Timer hashTimer;
    private final Timer verifyTimer;
    /** Verified for unknown users so that "no such user" costs as much as "wrong password". */
    private final String dummyHash;

    public PasswordHasher(SigilConfig config, Vertx vertx, MeterRegistry registry) {
        this.hashTimer = Timer.builder("sigil.password.hashing").tag("op", "hash").register(registry);
        this.verifyTimer = Timer.builder("sigil.password.hashing").tag("op", "verify").register(registry);
        registry.gauge("sigil.password.in_flight", inFlight);
        SigilConfig.Passwords p = config.passwords();
        Argon2Engine engine = Argon2Engine.select(p.nativeArgon2());
        this.argon2 = new Argon2id(p.memoryKib(), p.iterations(), p.parallelism(), engine);
        LOG.infof("Argon2id: %s implementation (%s), m=%d KiB t=%d p=%d", engine.name(),
                engine instanceof Argon2Engine.Native ? "libargon2 via argon2-jvm"
                        : p.nativeArgon2() ? "libargon2 did not load here" : "sigil.passwords.native=false",
                p.memoryKib(), p.iterations(), p.parallelism());
        int workers = p.workers() > 0 ? p.workers() : Runtime.getRuntime().availableProcessors();
        this.pool = vertx.createSharedWorkerExecutor("sigil-password", workers, 60, TimeUnit.SECONDS);
        this.maxInFlight = p.maxInFlight();
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.dummyHash = argon2HashOffThread(Base64.getEncoder().encodeToString(random));
    }

    public Uni<String> hash(String password) {
        return offload(hashTimer, () -> argon2.hash(PasswordPolicy.normalize(password)));
    }

    /** Verifies against {@code phc}, or against a dummy hash when the user does not exist ({@code phc == null}). */
    public Uni<Boolean> verify(String phc, String password) {
        String target = phc == null ? dummyHash : phc;
        return offload(verifyTimer, () -> argon2.verify(target, PasswordPolicy.normalize(password)) && phc != null);
    }

    /** Which Argon2id implementation hashes here: "native" or "bouncy-castle". */
    public String implementation() {
        return argon2.engine().name();
    }

    public boolean needsRehash(String phc) {
        return argon2.needsRehash(phc);
    }

    /** Hashes running or waiting right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Runs {@code work} on the pool, timed there (the time of the hash itself, not of the queue). The slot
     * is taken when the Uni is subscribed, not when it is built, so an unsubscribed Uni holds nothing.
     */
    private <T> Uni<T> offload(Timer timer, Callable<T> work) {
        return Uni.createFrom().deferred(() -> {
            if (!tryEnter(inFlight, maxInFlight)) {
                return Uni.createFrom().failure(new SigilException(ErrorCode.UNAVAILABLE,
                        "Too many password checks in progress; retry shortly", 1));
            }
            return exitOnce(inFlight, Uni.createFrom().<T>completionStage(() -> pool.<T>executeBlocking(() -> timer.recordCallable(work), false)
                    .toCompletionStage()));
        });
    }

    /**
     * {@code work}, giving back the slot taken for it when it ends: by item, failure or cancellation. Mutiny
     * runs the termination callback once for the item and once more for a cancellation racing it, so the
     * slot is given back behind a flag (the gauge once read -1; a drift upwards would refuse every login).
     */
    public static <T> Uni<T> exitOnce(AtomicInteger slots, Uni<T> work) {
        return Uni.createFrom().deferred(() -> {
            AtomicBoolean held = new AtomicBoolean(true);
            return work.onTermination().invoke(() -> {
                if (held.compareAndSet(true, false)) {
                    slots.decrementAndGet();
                }
            });
        });
    }

    /**
     * Takes one of {@code max} slots, or none when all are taken (never over the cap, even for a moment).
     * Also the counter of {@code LoginShare}, with {@link #exitOnce}.
     */
    public static boolean tryEnter(AtomicInteger slots, int max) {
        int n;
        do {
            n = slots.get();
            if (n >= max) {
                return false;
            }
        } while (!slots.compareAndSet(n, n + 1));
        return true;
    }

    private String argon2HashOffThread(String password) {
        // Start-up runs on the main thread, never an event loop, so hashing inline here is fine.
        return argon2.hash(password);
    }

    @PreDestroy
    void close() {
        pool.close();
    }
}
