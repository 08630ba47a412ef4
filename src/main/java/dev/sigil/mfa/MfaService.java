package dev.sigil.mfa;

import dev.sigil.audit.Audit;
import dev.sigil.config.SigilConfig;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.LoginName;
import dev.sigil.id.SessionId;
import dev.sigil.id.UserId;
import dev.sigil.session.SessionService;
import dev.sigil.throttle.Throttle;
import dev.sigil.password.PasswordPolicy;
import dev.sigil.user.UserService;
import dev.sigil.user.UserSnapshot;
import dev.sigil.web.CallerAddress;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The second factor's rules: enrolment, code checks (TOTP once per step, or a single-use recovery code),
 * removal, step-up and the admin reset. Every code check runs under a lockout of the user like the
 * login's ({@link Throttle#secondFactorCheck}): wrong codes count like wrong passwords.
 */
@ApplicationScoped
public class MfaService {

    /** What POST /me/mfa/totp hands the user: the secret as URI, as QR code and as text to type. */
    public record Enrolment(String otpauthUri, String qrCode, String secret) {
        @Override
        public String toString() {
            return "Enrolment[]"; // never the secret
        }
    }

    private final MfaStore store;
    private final MfaRedis redis;
    private final SecretCipher cipher;
    private final Throttle throttle;
    private final UserService users;
    private final SessionService sessions;
    private final Audit audit;
    private final SigilConfig.Mfa config;
    private final Totp totp = new Totp();
    private final TotpClock clock;

    public MfaService(MfaStore store, MfaRedis redis, SecretCipher cipher, Throttle throttle, UserService users,
                      SessionService sessions, Audit audit, SigilConfig config, TotpClock clock) {
        this.store = store;
        this.redis = redis;
        this.cipher = cipher;
        this.throttle = throttle;
        this.users = users;
        this.sessions = sessions;
        this.audit = audit;
        this.config = config.mfa();
        this.clock = clock;
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** Whether the user must give a second factor at login (MFA on and a confirmed credential). */
    public Uni<Boolean> enrolled(UserId user) {
        if (!enabled()) {
            return Uni.createFrom().item(false);
        }
        return store.find(user).map(s -> s != null && s.confirmed());
    }

    /**
     * Starts (or restarts) the caller's enrolment after re-authentication in the same request: the current
     * password (throttled like a login), and with sigil.mfa.enrolment-ticket-required the user's ticket from an
     * admin, used up here. 409 when a confirmed credential exists (checked before a ticket is spent).
     */
    public Uni<Enrolment> begin(UserId user, String password, String ticket, CallerAddress address) {
        return Uni.createFrom().deferred(() -> {
            // Presence and length: Bean Validation on the request record; a lone surrogate only here.
            PasswordPolicy.requireWellFormed("password", password);
            return username(user);
        }).flatMap(name -> currentPassword(name, password, address)
                .chain(() -> store.find(user))
                .flatMap(stored -> {
                    if (stored != null && stored.confirmed()) {
                        return Uni.createFrom().<Void>failure(alreadyActive());
                    }
                    return config.enrolmentTicketRequired() ? useTicket(user, ticket) : Uni.createFrom().voidItem();
                })
                .chain(() -> {
                    byte[] secret = Totp.newSecret();
                    return store.begin(user, cipher.encrypt(user.value(), secret)).map(begun -> {
                        if (!begun) {
                            throw alreadyActive();
                        }
                        audit.event("mfa_enrolment", "started").user(user).log();
                        String uri = Totp.uri(config.issuerName(), name, secret);
                        return new Enrolment(uri, QrPng.dataUri(uri), Totp.base32(secret));
                    });
                }));
    }

    /** Admin: a one-time enrolment ticket for {@code user} (replacing an earlier one); null when there is no such user. */
    public Uni<String> issueTicket(UserId user, java.util.UUID actor) {
        return users.profile(user.value()).flatMap(p -> {
            if (p == null) {
                return Uni.createFrom().nullItem();
            }
            return redis.issueTicket(user, config.enrolmentTicketLifetime())
                    .invoke(() -> audit.event("mfa_enrolment", "ticket_issued").user(user).with("actor", actor).log());
        });
    }

    public Duration ticketLifetime() {
        return config.enrolmentTicketLifetime();
    }

    private Uni<Void> useTicket(UserId user, String ticket) {
        return redis.consumeTicket(user, ticket).map(used -> {
            if (!used) {
                throw new SigilException(ErrorCode.INVALID_ENROLMENT_TICKET,
                        "Enrolment needs a valid enrolment ticket from an administrator (single use)");
            }
            return null;
        });
    }

    private static SigilException alreadyActive() {
        return new SigilException(ErrorCode.CONFLICT, "A second factor is already active; remove it first");
    }

    /** The caller's current password, on the hashing pool under the login's lockout of the name (as at a password change). */
    private Uni<Void> currentPassword(String name, String password, CallerAddress address) {
        return throttle.passwordCheck(LoginName.of(name), address, ErrorCode.INVALID_CURRENT_PASSWORD,
                () -> users.authenticate(LoginName.of(name), password)
                        .onFailure(e -> e instanceof SigilException s && s.code == ErrorCode.INVALID_CREDENTIALS)
                        .transform(e -> new SigilException(ErrorCode.INVALID_CURRENT_PASSWORD, "The password is incorrect")))
                .replaceWithVoid();
    }

    /** Activates the enrolment with a first code; returns the recovery codes, which are shown only now. */
    public Uni<List<String>> confirm(UserId user, String code, CallerAddress address) {
        return store.find(user).flatMap(stored -> {
            if (stored == null || stored.confirmed()) {
                return Uni.createFrom().failure(new SigilException(ErrorCode.CONFLICT, "No enrolment in progress; start one with POST /me/mfa/totp"));
            }
            return underLockout(user, address, ErrorCode.MFA_CODE_REJECTED, () -> checkTotp(user, stored, code)).flatMap(x -> {
                List<String> codes = RecoveryCodes.generate();
                List<String> digests = codes.stream()
                        .map(c -> cipher.recoveryDigest(user.value(), RecoveryCodes.normalise(c).orElseThrow())).toList();
                return store.confirm(user, stored.secretEncrypted(), digests).map(done -> {
                    if (!done) {
                        throw new SigilException(ErrorCode.CONFLICT, "The enrolment changed meanwhile; start again");
                    }
                    audit.event("mfa_enrolment", "confirmed").user(user).log();
                    return codes;
                });
            });
        });
    }

    /**
     * Removes the caller's second factor after a current code (or recovery code) or a step-up of the calling
     * session within sigil.mfa.step-up-max-age ({@code steppedUpAt}: the session's auth_time when its amr has
     * otp, else null); the password alone is not enough (NIST SP 800-63B: authenticators are managed at the
     * assurance level they give). Every other session of the caller ends (whoever removed it may not be the
     * owner), and the caller's own drops otp and the roles it gated.
     */
    public Uni<Void> remove(UserId user, SessionId current, String code, Instant steppedUpAt, CallerAddress address) {
        Uni<Void> proof;
        if (code != null) {
            proof = confirmed(user).flatMap(stored -> underLockout(user, address, ErrorCode.MFA_CODE_REJECTED, () -> check(user, stored, code)));
        } else if (steppedUpAt != null && !steppedUpAt.plus(config.stepUpMaxAge()).isBefore(clock.now())) {
            proof = Uni.createFrom().voidItem();
        } else {
            return Uni.createFrom().failure(new SigilException(ErrorCode.STEP_UP_REQUIRED,
                    "Give a current code (or recovery code), or step up this session (POST /me/mfa/verify) and use its refreshed token"));
        }
        return proof.chain(() -> store.delete(user)).flatMap(existed -> {
            if (!existed) {
                return Uni.createFrom().failure(new SigilException(ErrorCode.CONFLICT, "No second factor is active"));
            }
            audit.event("mfa_removed", "ok").user(user).session(current).log();
            return sessions.revokeOthers(user, current).chain(() -> sessions.dropSecondFactor(user)).replaceWithVoid();
        });
    }

    /** Step-up: a fresh code puts {@code otp} and a new {@code auth_time} into the caller's session. */
    public Uni<Void> stepUp(UserId user, SessionId session, String code, CallerAddress address) {
        return confirmed(user)
                .flatMap(stored -> underLockout(user, address, ErrorCode.MFA_CODE_REJECTED, () -> check(user, stored, code)))
                .chain(() -> sessions.stepUp(user, session))
                .map(upgraded -> {
                    if (!upgraded) {
                        throw new SigilException(ErrorCode.INVALID_TOKEN, "The session of this access token has ended");
                    }
                    audit.event("mfa_step_up", "ok").user(user).session(session).log();
                    return null;
                });
    }

    /** Admin reset: removes the user's second factor and ends every session and access token of the user. */
    public Uni<Boolean> reset(UserId user, java.util.UUID actor) {
        return store.delete(user).flatMap(existed -> {
            if (!existed) {
                return Uni.createFrom().item(false);
            }
            audit.event("mfa_reset", "ok").user(user).with("actor", actor).log();
            return sessions.revokeEverywhere(user).replaceWith(true);
        });
    }

    /** A pending login: the password was right, a code is still needed. Returns the mfa_token. */
    public Uni<String> challenge(UserSnapshot checked) {
        return redis.issue(checked);
    }

    /** Reserves one attempt of an mfa_token: the user its password check read; null when it is dead. */
    public Uni<UserSnapshot> attempt(String mfaToken) {
        return redis.attempt(mfaToken);
    }

    /** Ends an mfa_token; true for the one request that ended it. */
    public Uni<Boolean> consume(String mfaToken) {
        return redis.consume(mfaToken);
    }

    /**
     * Checks a login's code (TOTP or recovery code) under the lockout of {@code username} from {@code address}.
     * Fails with {@code wrong} when it is not right.
     */
    public Uni<Void> checkAtLogin(UserId user, String username, String code, CallerAddress address) {
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

    private Uni<MfaStore.Stored> confirmed(UserId user) {
        return store.find(user).map(stored -> {
            if (stored == null || !stored.confirmed()) {
                throw new SigilException(ErrorCode.CONFLICT, "No second factor is active; enrol with POST /me/mfa/totp");
            }
            return stored;
        });
    }

    private <T> Uni<T> underLockout(UserId user, CallerAddress address, ErrorCode wrong, java.util.function.Supplier<Uni<T>> check) {
        return username(user).flatMap(name -> throttle.secondFactorCheck(LoginName.of(name), address, wrong, check));
    }

    /** A TOTP code or a recovery code; fails with mfa_code_rejected. */
    private Uni<Void> check(UserId user, MfaStore.Stored stored, String code) {
        if (Totp.wellFormed(code)) {
            return checkTotp(user, stored, code);
        }
        return RecoveryCodes.normalise(code)
                .map(c -> store.useRecoveryCode(user, cipher.recoveryDigest(user.value(), c)).flatMap(used -> {
                    if (!used) {
                        return Uni.createFrom().<Void>failure(rejected());
                    }
                    audit.event("mfa_recovery_code", "used").user(user).log();
                    return Uni.createFrom().voidItem();
                }))
                .orElseGet(() -> Uni.createFrom().failure(rejected()));
    }

    /** A TOTP code of the step now or one either side, accepted once per step per user. */
    private Uni<Void> checkTotp(UserId user, MfaStore.Stored stored, String code) {
        byte[] secret = cipher.decrypt(user.value(), stored.secretEncrypted());
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

    private Uni<String> username(UserId user) {
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
