package dev.sigil.account;

import dev.sigil.audit.Audit;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.LoginName;
import dev.sigil.id.SessionId;
import dev.sigil.id.UserId;
import dev.sigil.password.PasswordHasher;
import dev.sigil.session.SessionService;
import dev.sigil.throttle.Throttle;
import dev.sigil.user.UserDirectory;
import dev.sigil.user.UserRules;
import dev.sigil.user.UserView;
import dev.sigil.web.CallerAddress;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What users do to their own account: register (when enabled) and change their password. */
@ApplicationScoped
public class AccountService {

    private final UserAdminService admin;
    private final UserDirectory directory;
    private final PasswordHasher hasher;
    private final SessionService sessions;
    private final Throttle throttle;
    private final Audit audit;

    public AccountService(UserAdminService admin, UserDirectory directory, PasswordHasher hasher,
                          SessionService sessions, Throttle throttle, Audit audit) {
        this.admin = admin;
        this.directory = directory;
        this.hasher = hasher;
        this.sessions = sessions;
        this.throttle = throttle;
        this.audit = audit;
    }

    /** Self-registration: an enabled user with no roles and no custom claims, within the address's rate limit. */
    public Uni<UserView> register(String username, String password, String email, CallerAddress callerAddress) {
        return throttle.beforeRegistration(callerAddress)
                .chain(() -> admin.create(username, password, email, List.of(), Map.of(), true, null));
    }

    /**
     * Changes the caller's password after checking the current one, then revokes every other session
     * of the user; session {@code keepSid} (the caller's) and its tokens keep working. The check of the
     * current password is throttled like a login of the user's name from {@code callerAddress}: a wrong
     * one counts as a failed login, a right one resets the failures, and while locked it is not checked.
     */
    public Uni<Void> changePassword(UUID userId, SessionId keepSid, String currentPassword, String newPassword, CallerAddress callerAddress) {
        return Uni.createFrom().deferred(() -> {
            UserRules.password("current_password", currentPassword);
            UserRules.password("new_password", newPassword);
            return directory.stored(userId);
        }).flatMap(user -> {
            if (user == null || !user.enabled) {
                throw new SigilException(ErrorCode.INVALID_TOKEN, "The access token's user no longer exists or is disabled");
            }
            admin.checkNewPassword(newPassword, user.username);
            return throttle.passwordCheck(LoginName.of(user.username), callerAddress, ErrorCode.INVALID_CURRENT_PASSWORD,
                    () -> hasher.verify(user.passwordHash, currentPassword).invoke(ok -> {
                        if (!ok) {
                            audit.event("password_change", "wrong_current_password").user(userId).session(keepSid).ip(callerAddress.value()).log();
                            throw new SigilException(ErrorCode.INVALID_CURRENT_PASSWORD, "The current password is incorrect");
                        }
                    }))
                    .onFailure(Throttle.Refused.class).invoke(() ->
                            audit.event("password_change", "locked").user(userId).session(keepSid).ip(callerAddress.value()).log())
                    .flatMap(ok -> hasher.hash(newPassword))
                    .flatMap(hash -> directory.setPassword(userId, hash, user.passwordHash));
        }).flatMap(changed -> {
            if (!changed) {
                throw new SigilException(ErrorCode.CONFLICT, "The password was changed at the same time; sign in again and retry");
            }
            return sessions.revokeOthers(UserId.of(userId), keepSid);
        }).invoke(n -> audit.event("password_change", "ok").user(userId).session(keepSid).with("other_sessions_revoked", n).log())
                .replaceWithVoid();
    }
}
