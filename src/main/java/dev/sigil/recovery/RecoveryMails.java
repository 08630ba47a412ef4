package dev.sigil.recovery;

import dev.sigil.audit.Audit;
import dev.sigil.config.SigilConfig;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.UserId;
import dev.sigil.mail.MailTemplate;
import dev.sigil.throttle.Throttle;
import dev.sigil.user.UserRules;
import dev.sigil.web.CallerAddress;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issues tokens and writes the mails that carry them (never sends: the outbox relay does). Each mail to an
 * account is first reserved against sigil.recovery.mails-per-hour; beyond it the mail is dropped silently,
 * so that the answer reveals nothing and an account cannot be used to flood its owner's mailbox.
 */
@ApplicationScoped
public class RecoveryMails {

    /** Reset mails being written after their request was answered, at most (beyond: dropped and logged). */
    static final int MAX_DETACHED = 256;

    /**
     * The user id of the stand-in work for an unknown address: no user has it (a UUID of version 0), so the token it
     * stores matches no user and nothing is written; its allowance counter is one Redis key.
     */
    static final UUID NOBODY = new UUID(0, 0);

    private final RecoveryStore store;
    private final Throttle throttle;
    private final Links links;
    private final SigilConfig.Recovery config;
    private final Audit audit;
    private final AtomicInteger detached = new AtomicInteger();

    public RecoveryMails(RecoveryStore store, Throttle throttle, Links links, SigilConfig config, Audit audit) {
        this.store = store;
        this.throttle = throttle;
        this.links = links;
        this.config = config.recovery();
        this.audit = audit;
    }

    /**
     * POST /password-reset. Known and unknown addresses do the same work before the answer: the address limit and
     * one indexed lookup. Only after it, detached from the request, does a known address get its token and mail
     * written, so neither the answer nor its timing tells the two apart.
     */
    public Uni<Void> requestReset(String email, CallerAddress caller) {
        return Uni.createFrom().deferred(() -> {
            String address = requiredEmail(email);
            return throttle.beforeRecovery(caller, config.perAddress()).chain(() -> store.enabledByEmail(address))
                    .invoke(accounts -> {
                        audit.event("password_reset_request", accounts.isEmpty() ? "unknown_address" : "accepted").ip(caller.value()).log();
                        // An unknown address does the same work after the answer (allowance, version, a transaction that
                        // matches no user), so that the service's load, like its answer, does not tell the two apart.
                        List<RecoveryStore.Account> targets = accounts.isEmpty()
                                ? List.of(new RecoveryStore.Account(NOBODY, "nobody", address)) : accounts;
                        targets.forEach(this::detachedReset);
                    });
        }).replaceWithVoid();
    }

    private void detachedReset(RecoveryStore.Account account) {
        if (detached.incrementAndGet() > MAX_DETACHED) {
            detached.decrementAndGet();
            audit.event("password_reset_request", "dropped").user(account.id()).with("reason", "busy").warn().log();
            return;
        }
        mailToken(account, Purpose.RESET, account.email(), MailTemplate.PASSWORD_RESET, List.of())
                .eventually(detached::decrementAndGet)
                .subscribe().with(x -> { }, e -> Log.warnf("Reset mail for user %s not written: %s", account.id(), e.getMessage()));
    }

    /** POST /me/email/verification: a new verification mail to the caller's current address. */
    public Uni<Void> requestVerification(UserId user, CallerAddress caller) {
        return throttle.beforeRecovery(caller, config.perAddress())
                .chain(() -> store.enabledById(user.value()))
                .flatMap(account -> {
                    if (account == null) {
                        return Uni.createFrom().failure(new SigilException(ErrorCode.INVALID_TOKEN,
                                "The access token's user no longer exists or is disabled"));
                    }
                    if (account.email() == null) {
                        return Uni.createFrom().failure(SigilException.validation("The account has no email address to verify"));
                    }
                    return mailToken(account, Purpose.VERIFY, account.email(), MailTemplate.VERIFY_EMAIL, List.of())
                            .invoke(sent -> audit.event("email_verification", "requested").user(user.value()).log());
                }).replaceWithVoid();
    }

    /** After a self-registration with an address: its verification mail. */
    public Uni<Void> afterRegistration(UUID user) {
        return store.enabledById(user).flatMap(account -> account == null || account.email() == null ? Uni.createFrom().voidItem()
                : mailToken(account, Purpose.VERIFY, account.email(), MailTemplate.VERIFY_EMAIL, List.of()).replaceWithVoid());
    }

    /**
     * An email change the password confirmed: a verification mail to {@code newEmail} (which replaces the address
     * when its token is used) and, in the same transaction, a notice to the current address.
     */
    Uni<Void> emailChange(UserId user, String newEmail) {
        return store.enabledById(user.value()).flatMap(account -> {
            if (account == null) {
                return Uni.createFrom().failure(new SigilException(ErrorCode.INVALID_TOKEN,
                        "The access token's user no longer exists or is disabled"));
            }
            List<RecoveryStore.Outgoing> notice = account.email() == null ? List.of()
                    : List.of(new RecoveryStore.Outgoing(account.email(), MailTemplate.EMAIL_CHANGE_NOTICE,
                            Map.of("username", account.username(), "new_email", newEmail)));
            return mailToken(account, Purpose.VERIFY, newEmail, MailTemplate.VERIFY_EMAIL, notice)
                    .invoke(sent -> audit.event("email_change", sent ? "requested" : "dropped").user(user.value()).log());
        }).replaceWithVoid();
    }

    /**
     * Reserves a mail to the account, then writes the token and its mail (plus {@code extra}) in one transaction;
     * false when the account's hourly allowance is spent (nothing written).
     */
    private Uni<Boolean> mailToken(RecoveryStore.Account account, Purpose purpose, String recipient, MailTemplate template,
                                   List<RecoveryStore.Outgoing> extra) {
        UserId user = UserId.of(account.id());
        return throttle.reserveAccountMail(user, config.mailsPerHour()).flatMap(allowed -> {
            if (!allowed && !NOBODY.equals(account.id())) {
                audit.event("account_mail", "dropped").user(account.id()).with("template", template.file).log();
                return Uni.createFrom().item(false);
            }
            MailedToken token = MailedToken.random();
            String link = purpose == Purpose.RESET ? links.reset(token) : links.verify(token);
            List<RecoveryStore.Outgoing> mails = new ArrayList<>();
            mails.add(new RecoveryStore.Outgoing(recipient, template, Map.of("username", account.username(), "link", link,
                    "minutes", config.tokenLifetime().toMinutes())));
            mails.addAll(extra);
            return store.version(account.id()).flatMap(uv -> store.issue(token.hash(), account.id(), purpose,
                    purpose == Purpose.VERIFY ? recipient : null, uv, config.tokenLifetime(), mails, links.messageIdDomain()));
        });
    }

    /** A present, well-formed address (400 validation_failed otherwise, the same for every address). */
    static String requiredEmail(String email) {
        if (email == null) {
            throw SigilException.validation("email is required");
        }
        return UserRules.email(email);
    }
}
