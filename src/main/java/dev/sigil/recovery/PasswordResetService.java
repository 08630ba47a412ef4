package dev.sigil.recovery;

import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.LoginName;
import dev.sigil.id.UserId;
import dev.sigil.mfa.MfaService;
import dev.sigil.password.PasswordHasher;
import dev.sigil.password.PasswordPolicy;
import dev.sigil.session.SessionService;
import dev.sigil.throttle.Throttle;
import dev.sigil.web.CallerAddress;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * POST /password-reset/confirm: a live reset token, a new password the policy accepts, and, for a user with a
 * second factor, a code under the login's lockout. The token is used, and the password set, in one
 * transaction; then every session and access token of the user ends and the username's lockout is lifted.
 */
@ApplicationScoped
public class PasswordResetService {

    private final RecoveryStore store;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final MfaService mfa;
    private final SessionService sessions;
    private final Throttle throttle;

    public PasswordResetService(RecoveryStore store, PasswordPolicy policy, PasswordHasher hasher, MfaService mfa,
                                SessionService sessions, Throttle throttle) {
        this.store = store;
        this.policy = policy;
        this.hasher = hasher;
        this.mfa = mfa;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    public Uni<Void> confirm(String presentedToken, String newPassword, String code, CallerAddress caller) {
        return Uni.createFrom().deferred(() -> {
            PasswordPolicy.requireWellFormed("new_password", newPassword);
            MailedToken token = MailedToken.parse(presentedToken).orElseThrow(PasswordResetService::invalid);
            return store.findLive(token.hash(), Purpose.RESET).onItem().ifNull().failWith(PasswordResetService::invalid).flatMap(found -> {
                policy.check(newPassword, found.username());
                UserId user = UserId.of(found.user());
                return secondFactor(user, found.username(), code, caller)
                        .chain(() -> hasher.hash(newPassword))
                        .flatMap(hash -> store.resetPassword(token.hash(), found.user(), hash, found.passwordHash())
                                .onFailure(RecoveryStore.Stale.class).recoverWithItem(false))
                        .flatMap(done -> {
                            if (!done) {
                                return Uni.createFrom().failure(invalid());
                            }
                            return sessions.revokeEverything(user, "password_reset", "email_link")
                                    .chain(() -> throttle.endLockout(LoginName.of(found.username()), caller));
                        });
            });
        });
    }

    /**
     * An enrolled user's code, checked and counted as at POST /login/mfa (a missing code counts as a wrong one:
     * otherwise a reset link would be a way around the lockout). Answered 403 mfa_code_required either way.
     */
    private Uni<Void> secondFactor(UserId user, String username, String code, CallerAddress caller) {
        return mfa.enrolled(user).flatMap(enrolled -> !enrolled ? Uni.createFrom().voidItem()
                : mfa.checkAtLogin(user, username, code == null ? "" : code, caller)
                        .onFailure(e -> e instanceof SigilException s
                                && (s.code == ErrorCode.INVALID_MFA_CODE || s.code == ErrorCode.INVALID_MFA_TOKEN))
                        .transform(e -> new SigilException(ErrorCode.MFA_CODE_REQUIRED,
                                "This account has a second factor: give a current code (or a recovery code) as code")));
    }

    static SigilException invalid() {
        return new SigilException(ErrorCode.INVALID_RESET_TOKEN, "The reset link is unknown, used or expired; ask for a new one");
    }
}
