package dev.sigil.mfa;

import dev.sigil.audit.Audit;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.LoginName;
import dev.sigil.id.UserId;
import dev.sigil.throttle.Throttle;
import dev.sigil.user.UserService;
import dev.sigil.web.CallerAddress;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The proofs a user gives of who they are, checked under the login's lockout of the user's name
 * ({@link Throttle}): the current password, a TOTP code (once per step) or a single-use recovery code,
 * and the age of a step-up. Enrolment ({@link MfaEnrolment}) and the second factor's use
 * ({@link MfaService}) both ask here, so wrong codes count the same wherever they are given.
 */
@ApplicationScoped
public class MfaCodes {

    private final MfaStore store;
    private final MfaRedis redis;
    private final Throttle throttle;
    private final UserService users;
    private final Audit audit;
    private final Totp totp = new Totp();
    private final TotpClock clock;

    public MfaCodes(MfaStore store, MfaRedis redis, Throttle throttle, UserService users, Audit audit, TotpClock clock) {
        this.store = store;
        this.redis = redis;
        this.throttle = throttle;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    /** Whether a step-up at {@code steppedUpAt} (null: none) is at most {@code maxAge} old. */
    public boolean steppedUpWithin(Instant steppedUpAt, Duration maxAge) {
        return steppedUpAt != null && !steppedUpAt.plus(maxAge).isBefore(clock.now());
    }

    /** The caller's current password, on the hashing pool under the login's lockout of the name (as at a password change). */
    public Uni<Void> currentPassword(String name, String password, CallerAddress address) {
        return throttle.passwordCheck(LoginName.of(name), address, ErrorCode.INVALID_CURRENT_PASSWORD,
                () -> users.authenticate(LoginName.of(name), password)
                        .onFailure(e -> e instanceof SigilException s && s.code == ErrorCode.INVALID_CREDENTIALS)
                        .transform(e -> new SigilException(ErrorCode.INVALID_CURRENT_PASSWORD, "The password is incorrect")))
                .replaceWithVoid();
    }

    /**
     * Checks a login's code (TOTP or recovery code) under the lockout of {@code username} from {@code address}.
     * Fails with {@code wrong} when it is not right.
     */
    Uni<Void> checkAtLogin(UserId user, String username, String code, CallerAddress address) {
        return throttle.secondFactorCheck(LoginName.of(username), address, ErrorCode.INVALID_MFA_CODE,
                () -> store.find(user).flatMap(stored -> {
                    if (stored == null || !stored.confirmed()) {
                        // Removed or reset since the password check: the login must start again.
                        return Uni.createFrom().<Void>failure(new SigilException(ErrorCode.INVALID_MFA_TOKEN, "Log in again"));
                    }
                    return check(user, stored, code).onFailure(SigilException.class)
                            .transform(e -> ((SigilException) e).code == ErrorCode.MFA_CODE_REJECTED
                                    ? new SigilException(ErrorCode.INVALID_MFA_CODE, "The code is wrong or was already used") : e);
                }));
    }

    <T> Uni<T> underLockout(UserId user, CallerAddress address, ErrorCode wrong, Supplier<Uni<T>> check) {
        return username(user).flatMap(name -> throttle.secondFactorCheck(LoginName.of(name), address, wrong, check));
    }

    /** A TOTP code or a recovery code; fails with mfa_code_rejected. */
    Uni<Void> check(UserId user, MfaStore.Stored stored, String code) {
        if (Totp.wellFormed(code)) {
            return checkTotp(user, stored, code);
        }
        return RecoveryCodes.normalise(code)
                .map(c -> store.useRecoveryCode(user, c).flatMap(used -> {
                    if (!used) {
                        return Uni.createFrom().<Void>failure(rejected());
                    }
                    audit.event("mfa_recovery_code", "used").user(user).log();
                    return Uni.createFrom().voidItem();
                }))
                .orElseGet(() -> Uni.createFrom().failure(rejected()));
    }

    /** A TOTP code of the step now or one either side, accepted once per step per user. */
    Uni<Void> checkTotp(UserId user, MfaStore.Stored stored, String code) {
        byte[] secret = store.secret(user, stored);
        if (secret == null) {
            // Another encryption key than the one the secret was stored under: an operator error, not a guess.
            audit.event("mfa_secret", "undecryptable").user(user).warn().log();
            return Uni.createFrom().failure(new SigilException(ErrorCode.UNAVAILABLE, "The second factor cannot be checked now", 60));
        }
        if (!Totp.wellFormed(code)) {
            return Uni.createFrom().failure(rejected());
        }
        var step = totp.matchingStep(secret, code, clock.now());
        if (step.isEmpty()) {
            return Uni.createFrom().failure(rejected());
        }
        return redis.acceptStepOnce(user, step.getAsLong()).flatMap(fresh -> fresh
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(rejected()));
    }

    public Uni<String> username(UserId user) {
        return users.profile(user.value()).map(p -> {
            if (p == null) {
                throw new SigilException(ErrorCode.INVALID_TOKEN, "The access token's user no longer exists");
            }
            return p.username();
        });
    }

    private static SigilException rejected() {
        return new SigilException(ErrorCode.MFA_CODE_REJECTED, "The code is wrong or was already used");
    }
}
