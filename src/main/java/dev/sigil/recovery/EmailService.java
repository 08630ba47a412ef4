package dev.sigil.recovery;

import dev.sigil.audit.Audit;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.LoginName;
import dev.sigil.id.UserId;
import dev.sigil.password.PasswordHasher;
import dev.sigil.throttle.Throttle;
import dev.sigil.user.UserDirectory;
import dev.sigil.user.UserRules;
import dev.sigil.web.CallerAddress;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Email change (PUT /me/email: the current password, then a verification mail to the new address, which takes
 * effect only when its token is used) and verification (POST /email/verify).
 */
@ApplicationScoped
public class EmailService {

    private final RecoveryStore store;
    private final RecoveryMails mails;
    private final UserDirectory directory;
    private final PasswordHasher hasher;
    private final Throttle throttle;
    private final Audit audit;

    public EmailService(RecoveryStore store, RecoveryMails mails, UserDirectory directory, PasswordHasher hasher, Throttle throttle,
                        Audit audit) {
        this.store = store;
        this.mails = mails;
        this.directory = directory;
        this.hasher = hasher;
        this.throttle = throttle;
        this.audit = audit;
    }

    /**
     * Checks the caller's password under the login's lockout (a wrong one counts as a failed login: a stolen
     * bearer token alone must not move the account to another address), then mails the new address.
     */
    public Uni<Void> requestChange(UserId user, String newEmail, String password, CallerAddress caller) {
        return Uni.createFrom().deferred(() -> {
            String email = RecoveryMails.requiredEmail(newEmail);
            UserRules.password("password", password);
            return directory.stored(user.value()).flatMap(u -> {
                if (u == null || !u.enabled) {
                    throw new SigilException(ErrorCode.INVALID_TOKEN, "The access token's user no longer exists or is disabled");
                }
                return throttle.passwordCheck(LoginName.of(u.username), caller, ErrorCode.INVALID_CURRENT_PASSWORD,
                        () -> hasher.verify(u.passwordHash, password).invoke(ok -> {
                            if (!ok) {
                                audit.event("email_change", "wrong_password").user(user).ip(caller.value()).log();
                                throw new SigilException(ErrorCode.INVALID_CURRENT_PASSWORD, "The password is incorrect");
                            }
                        }));
            }).chain(() -> mails.emailChange(user, email));
        });
    }

    /** Uses a verification token: its address becomes the user's, verified. */
    public Uni<Void> verify(String presentedToken) {
        return Uni.createFrom().deferred(() -> {
            MailedToken token = MailedToken.parse(presentedToken).orElseThrow(EmailService::invalid);
            return store.findLive(token.hash(), Purpose.VERIFY)
                    .flatMap(found -> found == null ? Uni.createFrom().item(false)
                            : store.verifyEmail(token.hash(), found.user(), found.email())
                                    .onFailure(RecoveryStore.Stale.class).recoverWithItem(false)
                                    .invoke(done -> {
                                        if (done) {
                                            audit.event("email_verification", "verified").user(found.user()).log();
                                        }
                                    }))
                    .map(done -> {
                        if (!done) {
                            audit.event("email_verification", "invalid_token").log();
                            throw invalid();
                        }
                        return null;
                    });
        });
    }

    static SigilException invalid() {
        return new SigilException(ErrorCode.INVALID_VERIFICATION_TOKEN, "The verification link is unknown, used or expired");
    }
}
