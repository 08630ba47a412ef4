package dev.sigil.mfa;

import dev.sigil.audit.Audit;
import dev.sigil.config.SigilConfig;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.SessionId;
import dev.sigil.id.UserId;
import dev.sigil.session.SessionService;
import dev.sigil.user.UserSnapshot;
import dev.sigil.web.CallerAddress;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * The second factor's rules once enrolled ({@link MfaEnrolment}): the login's pending second factor,
 * removal, step-up and the admin reset. Every code is checked by {@link MfaCodes}, under a lockout of the
 * user like the login's: wrong codes count like wrong passwords.
 */
@ApplicationScoped
public class MfaService {

    private final MfaStore store;
    private final MfaRedis redis;
    private final SessionService sessions;
    private final Audit audit;
    private final SigilConfig.Mfa config;
    private final MfaCodes codes;

    public MfaService(MfaStore store, MfaRedis redis, SessionService sessions, Audit audit, SigilConfig config, MfaCodes codes) {
        this.store = store;
        this.redis = redis;
        this.sessions = sessions;
        this.audit = audit;
        this.config = config.mfa();
        this.codes = codes;
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
     * Removes the caller's second factor after a current code (or recovery code) or a step-up of the calling
     * session within sigil.mfa.step-up-max-age ({@code steppedUpAt}: the session's auth_time when its amr has
     * otp, else null); the password alone is not enough (NIST SP 800-63B: authenticators are managed at the
     * assurance level they give). Every other session of the caller ends (whoever removed it may not be the
     * owner), and the caller's own drops otp and the roles it gated.
     */
    public Uni<Void> remove(UserId user, SessionId current, String code, Instant steppedUpAt, CallerAddress address) {
        Uni<Void> proof;
        if (code != null) {
            proof = confirmed(user).flatMap(stored -> codes.underLockout(user, address, ErrorCode.MFA_CODE_REJECTED,
                    () -> codes.check(user, stored, code)));
        } else if (codes.steppedUpWithin(steppedUpAt, config.stepUpMaxAge())) {
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
                .flatMap(stored -> codes.underLockout(user, address, ErrorCode.MFA_CODE_REJECTED, () -> codes.check(user, stored, code)))
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

    /** The user of a live mfa_token without using one of its attempts; null when it is dead. */
    public Uni<UserId> pendingUser(String mfaToken) {
        return redis.peek(mfaToken);
    }

    /** Whether the session proved two factors (at {@code steppedUpAt}, null: never) within sigil.mfa.step-up-max-age. */
    public boolean steppedUp(Instant steppedUpAt) {
        return codes.steppedUpWithin(steppedUpAt, config.stepUpMaxAge());
    }

    /** The user's username; fails with invalid_token when the user no longer exists. */
    public Uni<String> username(UserId user) {
        return codes.username(user);
    }

    /** The user's current password, throttled like a login; fails with invalid_current_password. */
    public Uni<Void> currentPassword(UserId user, String password, CallerAddress address) {
        return codes.username(user).flatMap(name -> codes.currentPassword(name, password, address));
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
        return codes.checkAtLogin(user, username, code, address);
    }

    private Uni<MfaStore.Stored> confirmed(UserId user) {
        return store.find(user).map(stored -> {
            if (stored == null || !stored.confirmed()) {
                throw new SigilException(ErrorCode.CONFLICT, "No second factor is active; enrol with POST /me/mfa/totp");
            }
            return stored;
        });
    }
}
