package dev.sigil.throttle;

import dev.sigil.audit.Audit;
import dev.sigil.config.SigilConfig;
import dev.sigil.crypto.Digests;
import dev.sigil.error.DependencyUnavailableException;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.Outages;
import dev.sigil.error.SigilException;
import dev.sigil.id.ClientId;
import dev.sigil.id.LoginName;
import dev.sigil.id.UserId;
import dev.sigil.redis.LuaScript;
import dev.sigil.web.CallerAddress;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Brute-force throttling shared by all replicas through Redis: a rate limit per client address on
 * login and registration attempts, growing lockouts per (username, address) after repeated failures,
 * and a ceiling of failures per username from all addresses. Every password check (login, the current
 * password at a password change) is reserved before the hash runs and settled after it, so checks in
 * flight count like failures already made: concurrent guesses cannot pass the lockout. A lockout or a
 * limit of failures is 429 {@code rate_limited} with its Retry-After; checks in flight that fill the
 * allowance are load, not failures: 503 {@code unavailable} with Retry-After. Keys live under
 * {@code sigil:rl:} and expire by themselves;
 * usernames are stored hashed, in their canonical form ({@link LoginName#throttleForm()}), so every
 * spelling that reaches a user is counted under that user's key.
 * OAuth clients: see {@link #clientCheck}. Per-address keys use {@link CallerAddress#throttleForm()}
 * (an IPv6 address by its /64).
 */
@ApplicationScoped
public class Throttle {

    private enum Outcome {
        SUCCEEDED, FAILED, RELEASED;

        String arg() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final LuaScript attemptScript;
    private final LuaScript reserveScript;
    private final LuaScript settleScript;
    private final LuaScript clientFailedScript;

    private final ReactiveRedisDataSource redis;
    private final SigilConfig.RateLimits limits;
    private final Audit audit;

    public Throttle(ReactiveRedisDataSource redis, SigilConfig config, Audit audit, MeterRegistry registry) {
        this.redis = redis;
        this.attemptScript = new LuaScript("rate-attempt", registry);
        this.reserveScript = new LuaScript("login-reserve", registry);
        this.settleScript = new LuaScript("login-settle", registry);
        this.clientFailedScript = new LuaScript("client-failed", registry);
        this.limits = config.rateLimits();
        this.audit = audit;
    }

    /** Counts a login attempt against the address's limit. */
    public Uni<Void> beforeLogin(CallerAddress address) {
        return attempt(address);
    }

    /** Counts a registration attempt against the address's limit. */
    public Uni<Void> beforeRegistration(CallerAddress address) {
        return attempt(address);
    }

    /** Counts a password-reset or verification request against the address's limit (sigil.recovery.per-address). */
    public Uni<Void> beforeRecovery(CallerAddress address, int limit) {
        return refuseIfWaiting(attemptScript.run(redis, ThrottleKeys.recoveryAttempts(address),
                List.of(Integer.toString(limit), Long.toString(limits.addressWindow().toMillis()))), false);
    }

    /**
     * Reserves one mail to {@code user} within {@code perHour}: true when it may be sent. Counted before the mail
     * is written, so requests at once cannot pass the limit together.
     */
    public Uni<Boolean> reserveAccountMail(UserId user, int perHour) {
        return attemptScript.run(redis, ThrottleKeys.accountMails(user), List.of(Integer.toString(perHour),
                Long.toString(Duration.ofHours(1).toMillis()))).map(r -> r.toLong() == 0);
    }

    /**
     * Ends the lockout of {@code name}: its failures from {@code address} and its failures from anywhere (the
     * per-username ceiling), in one DEL of keys in one slot. Lockouts of the name at other addresses stay: they
     * are someone else's guesses, which a reset by the owner must not wipe out.
     */
    public Uni<Void> endLockout(LoginName name, CallerAddress address) {
        List<String> keys = ThrottleKeys.checks(userTag(name.throttleForm()), address);
        return Outages.redis(redis.key().del(keys.get(0), keys.get(1))).replaceWithVoid();
    }

    /**
     * Runs one password check of {@code name} from {@code address} under the lockout: refused with 429
     * while locked or while the checks already in flight would reach the threshold, otherwise reserved
     * first and settled by the result: an item resets the failures, a {@code wrongPassword} failure counts
     * as a failed login, anything else (an outage, a cancelled request) only frees the reservation.
     */
    public <T> Uni<T> passwordCheck(LoginName name, CallerAddress address, ErrorCode wrongPassword, Supplier<Uni<T>> check) {
        return guarded(name.throttleForm(), address, limits.perUsername(),
                e -> e instanceof SigilException s && s.code == wrongPassword, check);
    }

    /**
     * A second-factor code of {@code name} from {@code address}, under the same lockout and per-username
     * ceiling as passwords, but counted apart: a right password resets the password failures, and must
     * not reset the failures of the codes that follow it (else each fresh login would grant fresh guesses).
     * ':' is outside the username alphabet, so this namespace meets no username.
     */
    public <T> Uni<T> secondFactorCheck(LoginName name, CallerAddress address, ErrorCode wrongCode, Supplier<Uni<T>> check) {
        return guarded("otp:" + name.throttleForm(), address, limits.perUsername(),
                e -> e instanceof SigilException s && s.code == wrongCode, check);
    }

    /**
     * The (client, address) lockout as the client's own check read it from Redis (client-check.lua, in the
     * client's slot, in the same round trip as the client's record version): the ms it still runs, and
     * whether failures are counted (a right credential then resets them).
     */
    public record ClientLockout(long lockedMs, boolean hadFailures) {
        public static final ClientLockout NONE = new ClientLockout(0, false);
    }

    /** The key of the failures of (client, address), in the client's slot, for a script that reads them with the client's state. */
    public static String clientFailuresKey(ClientId client, CallerAddress address) {
        return ThrottleKeys.clientFailures(client, address);
    }

    /** What a client check may do before it reads PostgreSQL about an id that Redis knows nothing of. */
    public final class ClientGate {
        private final CallerAddress address;
        private boolean addressCounted;

        private ClientGate(CallerAddress address) {
            this.address = address;
        }

        /**
         * Before PostgreSQL is asked about an id that Redis knows nothing of: counted against the address's
         * failures first (reserve before spending), 429 past the limit; the count then stands for this
         * request's failure, if it fails.
         */
        public Uni<Void> beforeLookup() {
            addressCounted = true;
            return addressFailure(address).map(wait -> {
                if (wait > 0) {
                    throw new Refused(wait, false);
                }
                return null;
            });
        }
    }

    /**
     * OAuth client authentication. A right secret or assertion is always served, also from an address that
     * others' failures locked: a 256-bit secret and a private key cannot be guessed, so the lockout has no
     * secret to protect, and letting a neighbour lock a service out of its tokens would be the real harm.
     * Failures are throttled instead: per (client, address), growing lockouts from the lockout threshold on,
     * and per address, at most {@code client-failures-per-address} per address window; a wrong credential
     * past either is 429. No ceiling per client from all addresses (anyone could then lock a service out).
     * An id that names no client ({@code unknownClient}) counts for its address only, and leaves no Redis
     * state under its name: unauthenticated callers cannot grow Redis with made-up ids.
     * <p>
     * {@code lockout} is what Redis held on (client, address) when the client's check read it (one round trip
     * with the client's own state, see client.ClientTokenStore#check). Client ids are not secret, so unlike
     * usernames they are not hashed into the tag; {@code c:} keeps them apart from usernames' digests.
     */
    public <T> Uni<T> clientCheck(ClientId client, CallerAddress address, ClientLockout lockout,
                                  Predicate<Throwable> wrongCredentials, Predicate<Throwable> unknownClient,
                                  Function<ClientGate, Uni<T>> check) {
        String failures = ThrottleKeys.clientFailures(client, address);
        ClientGate gate = new ClientGate(address);
        return Uni.createFrom().deferred(() -> check.apply(gate))
                // A right credential resets the (client, address) failures; if Redis fails just then, they simply age out.
                .call(item -> lockout.hadFailures() ? redis.key().del(failures).onFailure().recoverWithNull().replaceWithVoid()
                        : Uni.createFrom().voidItem())
                .onFailure().recoverWithUni(e -> clientFailed(e, gate, failures, lockout.lockedMs(), wrongCredentials, unknownClient));
    }

    /** Counts a failed client check and answers it: 429 once a limit is passed, else the check's own failure. */
    private <T> Uni<T> clientFailed(Throwable e, ClientGate gate, String failures, long lockedMs,
                                    Predicate<Throwable> wrong, Predicate<Throwable> unknown) {
        boolean isUnknown = unknown.test(e);
        if (!isUnknown && !wrong.test(e)) {
            return Uni.createFrom().failure(e);
        }
        Uni<Long> perAddress = gate.addressCounted ? Uni.createFrom().item(0L) : addressFailure(gate.address);
        Uni<Long> perClient = isUnknown || lockedMs > 0 ? Uni.createFrom().item(lockedMs)
                : clientFailedScript.run(redis, List.of(failures), List.of(Integer.toString(limits.lockoutThreshold()),
                        Long.toString(limits.lockoutBase().toMillis()), Long.toString(limits.lockoutMax().toMillis()),
                        Long.toString(limits.failureWindow().toMillis()))).map(w -> {
                            if (w.toLong() > 0) {
                                audit.event("lockout", "started").ip(gate.address.value()).with("wait_ms", w.toLong()).log();
                            }
                            return 0L; // the failure that starts a lockout is answered as itself; the next one waits
                        });
        return Uni.combine().all().unis(perAddress, perClient).asTuple().map(waits -> {
            long wait = Math.max(waits.getItem1(), waits.getItem2());
            if (wait > 0) {
                throw new Refused(wait, waits.getItem2() > 0);
            }
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        });
    }

    /** One more failed client authentication from {@code address}; the ms to wait once past the limit, else 0. */
    private Uni<Long> addressFailure(CallerAddress address) {
        return attemptScript.run(redis, ThrottleKeys.clientAddressFailures(address),
                List.of(Integer.toString(limits.clientFailuresPerAddress()), Long.toString(limits.addressWindow().toMillis())))
                .map(r -> r.toLong());
    }

    private <T> Uni<T> guarded(String throttleForm, CallerAddress address, int ceiling, Predicate<Throwable> wrong,
                               Supplier<Uni<T>> check) {
        List<String> keys = ThrottleKeys.checks(userTag(throttleForm), address);
        String reservation = UUID.randomUUID().toString();
        Uni<String> reserved = refuseIfWaiting(reserveScript.run(redis, keys, List.of(Integer.toString(limits.lockoutThreshold()),
                Integer.toString(ceiling), reservation, Long.toString(limits.reservationLifetime().toMillis()))), true)
                .replaceWith("");
        return settled(keys, reservation, address, wrong, reserved, x -> check.get());
    }

    /**
     * Runs {@code check} once {@code reserved} succeeds, and settles the reservation by its result. The
     * reservation lives {@code reservation-lifetime} in Redis from when the reserve script ran, so the check
     * must answer within that time from before the reserve was sent (else 503): a slot can then never expire
     * while its check may still answer, and one whose answer is lost frees itself soon. A request cancelled
     * at any point (its client gone) releases its slot at once, but only after the reserve call answered or
     * failed: a release sent while the reserve is still on its way could run first in Redis and free nothing.
     * (Before, a reservation whose reply came after the cancellation stayed for a minute, and 5 of 120 abandoned
     * right-password logins refused the right password for 56 s.) Package-private for LockoutTest, which
     * holds a reservation's reply back.
     */
    <T> Uni<T> settled(List<String> keys, String reservation, CallerAddress address, Predicate<Throwable> wrong,
                               Uni<String> reserved, Function<String, Uni<T>> check) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            Duration lifetime = limits.reservationLifetime();
            Uni<String> reserve = reserved.memoize().indefinitely();
            return reserve.chain(r -> Outages.within(Uni.createFrom().<T>deferred(() -> check.apply(r)),
                                    lifetime.minusNanos(System.nanoTime() - start),
                                    () -> new DependencyUnavailableException("password check", new TimeoutException(
                                            "no answer within sigil.rate-limits.reservation-lifetime (" + lifetime + ")")))
                            // An outage while settling answers 503 rather than wrapping the check's own answer.
                            .onItemOrFailure().transformToUni((item, e) -> settle(keys, reservation, outcome(e, wrong), address)
                                    .chain(() -> e == null ? Uni.createFrom().item(item) : Uni.createFrom().<T>failure(e))))
                    .onCancellation().invoke(() -> reserve.onItemOrFailure()
                            .transformToUni((x, e) -> settle(keys, reservation, Outcome.RELEASED, address))
                            .subscribe().with(x -> { }, e -> Log.debugf("Reservation not released: %s", e.getMessage())));
        });
    }

    private static Outcome outcome(Throwable failure, Predicate<Throwable> wrong) {
        if (failure == null) {
            return Outcome.SUCCEEDED;
        }
        return wrong.test(failure) ? Outcome.FAILED : Outcome.RELEASED;
    }

    private Uni<Void> settle(List<String> keys, String reservation, Outcome outcome, CallerAddress address) {
        return settleScript.run(redis, keys, List.of(reservation, outcome.arg(),
                Integer.toString(limits.lockoutThreshold()), Long.toString(limits.lockoutBase().toMillis()),
                Long.toString(limits.lockoutMax().toMillis()), Long.toString(limits.failureWindow().toMillis())))
                .invoke(wait -> {
                    if (wait.toLong() > 0) {
                        audit.event("lockout", "started").ip(address.value()).with("wait_ms", wait.toLong()).log();
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> attempt(CallerAddress address) {
        return refuseIfWaiting(attemptScript.run(redis, ThrottleKeys.addressAttempts(address),
                List.of(Integer.toString(limits.perAddress()), Long.toString(limits.addressWindow().toMillis()))), false);
    }

    /** 429 rate_limited; {@code lockout} tells a locked username (metrics) from an address over its limit. */
    public static final class Refused extends SigilException {
        public final boolean lockout;

        Refused(long waitMs, boolean lockout) {
            super(ErrorCode.RATE_LIMITED, "Too many attempts; retry later", Math.max(1, (waitMs + 999) / 1000));
            this.lockout = lockout;
        }
    }

    private static Uni<Void> refuseIfWaiting(Uni<io.vertx.mutiny.redis.client.Response> check, boolean lockout) {
        return check.map(r -> { // LuaScript.run already turns a Redis failure into 503 unavailable
            long waitMs = r.toLong();
            if (waitMs != 0) {
                throw refusal(waitMs, lockout);
            }
            return null;
        });
    }

    /**
     * What a refusal of the reserve script means: a positive wait is a lockout or a limit of failed attempts
     * (429 with that wait); a negative one says only that the checks already in flight fill the allowance,
     * which is load, not failures (a stall that queued a client's requests made all of them reserve at once):
     * 503 with the script's wait, never "too many attempts".
     */
    static SigilException refusal(long waitMs, boolean lockout) {
        return waitMs > 0 ? new Refused(waitMs, lockout) : new SigilException(ErrorCode.UNAVAILABLE,
                "Other checks of these credentials are in progress; retry shortly", Math.max(1, (-waitMs + 999) / 1000));
    }

    /** The username's hash tag: a digest, so throttle keys never hold a name. */
    private static String userTag(String throttleForm) {
        return Digests.sha256Url(throttleForm.getBytes(StandardCharsets.UTF_8)).substring(0, 22);
    }
}
