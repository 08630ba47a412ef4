package dev.sigil.mfa;

import dev.sigil.audit.Audit;
import dev.sigil.config.SigilConfig;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.UserId;
import dev.sigil.password.PasswordPolicy;
import dev.sigil.user.UserService;
import dev.sigil.web.CallerAddress;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;

/**
 * Enrolment in TOTP: the admin's enrolment ticket, the start (re-authenticated by the current password) and
 * the confirmation with a first code, which hands out the recovery codes. The codes are checked by
 * {@link MfaCodes}, under the same lockout as everywhere else.
 */
@ApplicationScoped
public class MfaEnrolment {

    /** What POST /me/mfa/totp hands the user: the secret as URI, as QR code and as text to type. */
    public record Enrolment(String otpauthUri, String qrCode, String secret) {
        @Override
        public String toString() {
            return "Enrolment[]"; // never the secret
        }
    }

    private final MfaStore store;
    private final MfaRedis redis;
    private final UserService users;
    private final Audit audit;
    private final SigilConfig.Mfa config;
    private final MfaCodes codes;

    public MfaEnrolment(MfaStore store, MfaRedis redis, UserService users, Audit audit, SigilConfig config, MfaCodes codes) {
        this.store = store;
        this.redis = redis;
        this.users = users;
        this.audit = audit;
        this.config = config.mfa();
        this.codes = codes;
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
            return codes.username(user);
        }).flatMap(name -> codes.currentPassword(name, password, address)
                .chain(() -> store.find(user))
                .flatMap(stored -> {
                    if (stored != null && stored.confirmed()) {
                        return Uni.createFrom().<Void>failure(alreadyActive());
                    }
                    return config.enrolmentTicketRequired() ? useTicket(user, ticket) : Uni.createFrom().voidItem();
                })
                .chain(() -> {
                    byte[] secret = Totp.newSecret();
                    return store.begin(user, secret).map(begun -> {
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

    /** Activates the enrolment with a first code; returns the recovery codes, which are shown only now. */
    public Uni<List<String>> confirm(UserId user, String code, CallerAddress address) {
        return store.find(user).flatMap(stored -> {
            if (stored == null || stored.confirmed()) {
                return Uni.createFrom().failure(new SigilException(ErrorCode.CONFLICT, "No enrolment in progress; start one with POST /me/mfa/totp"));
            }
            return codes.underLockout(user, address, ErrorCode.MFA_CODE_REJECTED, () -> codes.checkTotp(user, stored, code)).flatMap(x -> {
                List<String> recovery = RecoveryCodes.generate();
                List<String> normalised = recovery.stream().map(c -> RecoveryCodes.normalise(c).orElseThrow()).toList();
                return store.confirm(user, stored, normalised).map(done -> {
                    if (!done) {
                        throw new SigilException(ErrorCode.CONFLICT, "The enrolment changed meanwhile; start again");
                    }
                    audit.event("mfa_enrolment", "confirmed").user(user).log();
                    return recovery;
                });
            });
        });
    }
}
