package dev.sigil.postgresql;

import dev.sigil.config.SigilConfig;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.password.PasswordHasher;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The share of the PostgreSQL pool that unauthenticated users-table work (login's lookups, the refresh
 * that re-reads a changed user) may hold at once. With sigil.users locked, every such query waits up to
 * lock_timeout on its connection: without a share a flood of logins held every connection, and grants and
 * admin calls, which need other tables, got 503 after the acquire timeout. A call over the share is
 * refused at once (503 with Retry-After), before it takes a connection; the rest of the pool stays free.
 */
@ApplicationScoped
public class LoginShare {

    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();

    public LoginShare(SigilConfig config, @ConfigProperty(name = "quarkus.datasource.reactive.max-size", defaultValue = "20") int poolSize,
                      MeterRegistry registry) {
        this.max = share(config.postgresql().loginShare(), poolSize);
        registry.gauge("sigil.postgresql.login_share.in_flight", inFlight);
    }

    /**
     * The configured share, or by default the pool less 30 % (at least 2 connections) for everything else:
     * 14 of 20. A pool too small to keep 2 back has no share (the pool's own bounds apply).
     */
    public static int share(OptionalInt configured, int poolSize) {
        if (configured.isPresent()) {
            return configured.getAsInt();
        }
        int share = poolSize - Math.max(2, poolSize * 3 / 10);
        return share > 0 ? share : poolSize;
    }

    /** {@code work} within the share: subscribed only with a slot taken, which it gives back exactly once when it ends. */
    public <T> Uni<T> run(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            if (!PasswordHasher.tryEnter(inFlight, max)) {
                return Uni.createFrom().failure(new SigilException(ErrorCode.UNAVAILABLE,
                        "Too many sign-ins are waiting for the database; retry shortly", 1));
            }
            return PasswordHasher.exitOnce(inFlight, Uni.createFrom().deferred(work::get));
        });
    }
}
