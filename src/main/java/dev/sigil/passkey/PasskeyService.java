package dev.sigil.passkey;

import dev.sigil.audit.Audit;
import dev.sigil.config.RelyingParty;
import dev.sigil.config.SigilConfig;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.LoginName;
import dev.sigil.id.UserId;
import dev.sigil.mfa.MfaService;
import dev.sigil.passkey.PasskeyChallenges.Kind;
import dev.sigil.passkey.PasskeyChallenges.Pending;
import dev.sigil.session.SessionService;
import dev.sigil.token.Authentication;
import dev.sigil.token.VerifiedToken.UserToken;
import dev.sigil.web.CallerAddress;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The passkey rules: registration (re-authenticated like adding any factor), the assertion of every
 * ceremony (passwordless sign-in, second factor, step-up) and management. A failed assertion says nothing
 * of which check failed; a counter that went backwards is audited as a possible clone.
 */
@ApplicationScoped
public class PasskeyService implements dev.sigil.mfa.PasskeyStepUp {

    /** Options handed to the page: the ceremony id and the WebAuthn options under {@code publicKey}. */
    public record Options(String ceremony, Map<String, Object> publicKey) {
    }

    /** A passkey assertion that verified: its user and the amr methods it proves. */
    public record Verified(UUID user, List<String> methods) {
    }

    private final PasskeyStore store;
    private final PasskeyChallenges challenges;
    private final MfaService mfa;
    private final SessionService sessions;
    private final Audit audit;
    private final WebAuthnCeremonies ceremonies;
    private final boolean enabled;

    public PasskeyService(PasskeyStore store, PasskeyChallenges challenges, MfaService mfa, SessionService sessions, Audit audit,
                          SigilConfig config) {
        this.store = store;
        this.challenges = challenges;
        this.mfa = mfa;
        this.sessions = sessions;
        this.audit = audit;
        this.enabled = config.webauthn().enabled();
        this.ceremonies = new WebAuthnCeremonies(RelyingParty.of(config), config.webauthn().challengeLifetime());
    }

    /** 404 for every passkey endpoint while sigil.webauthn.enabled is off. */
    public void requireEnabled() {
        if (!enabled) {
            throw new SigilException(ErrorCode.NOT_FOUND, "Passkeys are not enabled");
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /** Whether the user has a passkey: a factor that a password login must be followed by. */
    public Uni<Boolean> has(UserId user) {
        return enabled ? store.any(user.value()) : Uni.createFrom().item(false);
    }

    // ---- registration

    /**
     * Registration options for the caller, after re-authentication in this request: the current password, or,
     * when the user already has a factor, a session that proved two factors within sigil.mfa.step-up-max-age.
     */
    public Uni<Options> registrationOptions(UserToken caller, String password, CallerAddress address) {
        UserId user = caller.user();
        Uni<Void> proof;
        if (password != null) {
            proof = mfa.currentPassword(user, password, address);
        } else {
            proof = hasFactor(user).flatMap(factor -> factor && mfa.steppedUp(caller.secondFactorAt())
                    ? Uni.createFrom().voidItem()
                    : Uni.createFrom().failure(new SigilException(ErrorCode.STEP_UP_REQUIRED,
                    "Give the current password, or step up this session (POST /me/mfa/verify) and use its refreshed token")));
        }
        return proof.chain(() -> mfa.username(user)).flatMap(username -> {
            byte[] challenge = WebAuthnCeremonies.newChallenge();
            return store.list(user.value()).flatMap(existing -> challenges.open(Kind.REGISTER, user.value(), null, challenge)
                    .map(id -> new Options(id, ceremonies.creationOptions(user.value(), username, challenge, existing(existing)))));
        });
    }

    /** Verifies the attestation of a registration ceremony of the caller and stores the passkey. */
    public Uni<StoredPasskey> register(UserId user, String ceremony, String credentialJson, String name) {
        return challenges.take(ceremony, Kind.REGISTER).flatMap(pending -> {
            if (pending == null || !user.value().equals(pending.user())) {
                return Uni.createFrom().failure(invalidCeremony());
            }
            WebAuthnCeremonies.NewCredential c;
            try {
                c = ceremonies.verifyRegistration(credentialJson, pending.challenge());
            } catch (WebAuthnCeremonies.Rejected e) {
                audit.event("passkey_registered", "rejected").user(user).with("reason", e.getMessage()).log();
                return Uni.createFrom().failure(new SigilException(ErrorCode.VALIDATION_FAILED, "The passkey could not be verified"));
            }
            StoredPasskey p = new StoredPasskey(UUID.randomUUID(), user.value(), c.credentialId(), c.publicKey(), c.aaguid(), c.signCount(),
                    List.copyOf(new java.util.TreeSet<>(c.transports())), c.backupEligible(), c.backupState(), c.userVerified(),
                    name == null || name.isBlank() ? "Passkey" : name.strip(), Instant.now(), null);
            return store.add(p).map(added -> switch (added) {
                case ADDED -> {
                    audit.event("passkey_registered", "ok").user(user).with("passkey", p.id()).with("backup_eligible", p.backupEligible()).log();
                    yield p;
                }
                case TAKEN -> throw new SigilException(ErrorCode.CONFLICT, "This passkey is registered already");
                case FULL -> throw new SigilException(ErrorCode.CONFLICT, "At most " + PasskeyStore.MAX_PER_USER + " passkeys per user");
            });
        });
    }

    // ---- assertions

    /**
     * Options of a passwordless sign-in. With a username the ceremony is bound to it, but the options stay those
     * of any discoverable credential: listing the user's credentials would tell who has an account.
     */
    public Uni<Options> signInOptions(String username) {
        byte[] challenge = WebAuthnCeremonies.newChallenge();
        String bound = username == null ? null : LoginName.of(username).throttleForm();
        return challenges.open(Kind.SIGN_IN, null, bound, challenge)
                .map(id -> new Options(id, ceremonies.requestOptions(challenge, List.of(), true)));
    }

    /**
     * Verifies a passwordless sign-in (user verification required): the passkey's user and the methods for its
     * session, and the name the options were bound to (throttle form), if any. The caller checks the user is
     * still enabled and is that name.
     */
    public Uni<SignedIn> signIn(String ceremony, String credentialJson, CallerAddress address) {
        return challenges.take(ceremony, Kind.SIGN_IN).flatMap(pending -> {
            if (pending == null) {
                return failed("sign_in", null, "ceremony", address);
            }
            return assertion(pending, credentialJson, null, true, "sign_in", address)
                    .map(v -> new SignedIn(UserId.of(v.user()), v.methods(), pending.username()));
        });
    }

    /** A passwordless sign-in that verified. {@code boundName}: the throttle form of the username the options named, or null. */
    public record SignedIn(UserId user, List<String> methods, String boundName) {
    }

    /** Whether {@code username} is the one a sign-in's options were bound to (any, when none was). */
    public static boolean matchesBoundName(SignedIn signedIn, String username) {
        return signedIn.boundName() == null || signedIn.boundName().equals(LoginName.of(username).throttleForm());
    }

    /** The rejection of a sign-in whose user is disabled, deleted or not the one the options named: audited like the others. */
    public <T> Uni<T> refuse(SignedIn signedIn, CallerAddress address) {
        return failed("sign_in", signedIn.user().value(), "user", address);
    }

    /** Options of the second factor after a password: the user's passkeys, from the mfa_token's user. */
    public Uni<Options> secondFactorOptions(String mfaToken) {
        return mfa.pendingUser(mfaToken).flatMap(user -> {
            if (user == null) {
                return Uni.createFrom().failure(new SigilException(ErrorCode.INVALID_MFA_TOKEN,
                        "The mfa_token is unknown, expired, used or out of attempts; log in again"));
            }
            return userOptions(user, Kind.SECOND_FACTOR, false);
        });
    }

    /** Verifies a passkey as the second factor of {@code user}'s login: the methods it adds to pwd. */
    public Uni<List<String>> secondFactor(UserId user, String ceremony, String credentialJson, CallerAddress address) {
        return challenges.take(ceremony, Kind.SECOND_FACTOR).flatMap(pending -> {
            if (pending == null || !user.value().equals(pending.user())) {
                return failed("second_factor", user.value(), "ceremony", address);
            }
            return assertion(pending, credentialJson, user.value(), false, "second_factor", address).map(Verified::methods);
        });
    }

    /** Options of a step-up of the caller's session (user verification required: the step-up stands in for a code). */
    public Uni<Options> stepUpOptions(UserId user) {
        return userOptions(user, Kind.STEP_UP, true);
    }

    /** Step-up with a passkey: the session's amr gains the passkey's methods and auth_time is now. */
    @Override
    public Uni<Void> stepUp(UserToken caller, String ceremony, String credentialJson, CallerAddress address) {
        requireEnabled();
        UserId user = caller.user();
        return challenges.take(ceremony, Kind.STEP_UP).flatMap(pending -> {
            if (pending == null || !user.value().equals(pending.user())) {
                return Uni.createFrom().<Verified>failure(rejected());
            }
            return assertion(pending, credentialJson, user.value(), true, "step_up", address)
                    .onFailure(SigilException.class).transform(e -> rejected());
        }).flatMap(v -> {
            List<String> kept = caller.methods().contains(Authentication.PASSWORD) ? List.of(Authentication.PASSWORD) : List.of();
            return sessions.stepUp(user, caller.session(), Authentication.combined(kept, v.methods()));
        }).map(upgraded -> {
            if (!upgraded) {
                throw new SigilException(ErrorCode.INVALID_TOKEN, "The session of this access token has ended");
            }
            audit.event("mfa_step_up", "ok").user(user).session(caller.session()).with("method", "passkey").log();
            return null;
        });
    }

    private Uni<Options> userOptions(UserId user, Kind kind, boolean uvRequired) {
        return store.list(user.value()).flatMap(existing -> {
            if (existing.isEmpty()) {
                return Uni.createFrom().failure(new SigilException(ErrorCode.CONFLICT, "No passkey is registered"));
            }
            byte[] challenge = WebAuthnCeremonies.newChallenge();
            return challenges.open(kind, user.value(), null, challenge)
                    .map(id -> new Options(id, ceremonies.requestOptions(challenge, existing(existing), uvRequired)));
        });
    }

    /**
     * The checks every assertion shares: the credential is registered (to {@code user} when one is expected), the
     * user handle names its owner, webauthn4j verifies it, and the counter advances in the same statement that
     * records the use. Fails with invalid_credentials whatever went wrong.
     */
    private Uni<Verified> assertion(Pending pending, String json, UUID user, boolean uvRequired, String ceremony, CallerAddress address) {
        WebAuthnCeremonies.Parsed parsed;
        try {
            parsed = ceremonies.parseAssertion(json);
        } catch (WebAuthnCeremonies.Rejected e) {
            return failed(ceremony, user, "malformed", address);
        }
        return store.byCredentialId(parsed.credentialId()).flatMap(stored -> {
            if (stored == null || user != null && !user.equals(stored.user())) {
                return failed(ceremony, user, "unknown_credential", address);
            }
            byte[] handle = parsed.userHandle();
            if (handle != null && handle.length > 0 && !Arrays.equals(handle, WebAuthnCeremonies.userHandle(stored.user()))) {
                return failed(ceremony, stored.user(), "user_handle", address);
            }
            if (handle == null && user == null) {
                return failed(ceremony, stored.user(), "user_handle", address); // a passwordless answer must name its user
            }
            WebAuthnCeremonies.Assertion a;
            try {
                a = ceremonies.verifyAssertion(parsed, pending.challenge(), stored, uvRequired);
            } catch (WebAuthnCeremonies.Rejected e) {
                if (e.clone) {
                    audit.event("passkey_clone_suspected", "refused").user(stored.user()).with("passkey", stored.id())
                            .with("stored_count", stored.signCount()).ip(address.value()).warn().log();
                    return Uni.createFrom().failure(invalid());
                }
                return failed(ceremony, stored.user(), e.getMessage(), address);
            }
            return store.used(stored, a.signCount(), a.backupEligible(), a.backupState(), a.userVerified()).flatMap(won -> {
                if (!won) {
                    audit.event("passkey_clone_suspected", "refused").user(stored.user()).with("passkey", stored.id())
                            .with("stored_count", stored.signCount()).ip(address.value()).warn().log();
                    return Uni.createFrom().<Verified>failure(invalid());
                }
                if (a.backupEligible() != stored.backupEligible()) {
                    // Tolerated: iCloud Keychain turned BE on for passkeys made before (supabase/auth#2732). Recorded, and amr follows it.
                    audit.event("passkey_backup_eligibility_changed", "ok").user(stored.user()).with("passkey", stored.id())
                            .with("backup_eligible", a.backupEligible()).log();
                }
                return Uni.createFrom().item(new Verified(stored.user(), Authentication.passkey(a.backupEligible(), a.userVerified())));
            });
        });
    }

    // ---- management

    public Uni<List<StoredPasskey>> list(UserId user) {
        return store.list(user.value());
    }

    public Uni<Boolean> rename(UserId user, UUID id, String name) {
        return store.rename(user.value(), id, name.strip());
    }

    /**
     * Deletes one of the caller's passkeys, after a step-up within sigil.mfa.step-up-max-age. As when the TOTP
     * factor goes: every other session of the user ends and the caller's own keeps only the password.
     */
    public Uni<Boolean> delete(UserToken caller, UUID id) {
        if (!mfa.steppedUp(caller.secondFactorAt())) {
            return Uni.createFrom().failure(new SigilException(ErrorCode.STEP_UP_REQUIRED,
                    "Step up this session (POST /me/mfa/verify) and use its refreshed token"));
        }
        UserId user = caller.user();
        return store.delete(user.value(), id).flatMap(deleted -> {
            if (!deleted) {
                return Uni.createFrom().item(false);
            }
            audit.event("passkey_removed", "ok").user(user).session(caller.session()).with("passkey", id).log();
            return sessions.revokeOthers(user, caller.session()).chain(() -> sessions.dropSecondFactor(user)).replaceWith(true);
        });
    }

    /** Admin: removes every passkey of the user and ends all the user's sessions and access tokens; false when there were none. */
    public Uni<Boolean> removeAll(UserId user, UUID actor) {
        return store.deleteAll(user.value()).flatMap(n -> {
            if (n == 0) {
                return Uni.createFrom().item(false);
            }
            audit.event("passkeys_reset", "ok").user(user).with("actor", actor).with("count", n).log();
            return sessions.revokeEverywhere(user).replaceWith(true);
        });
    }

    private Uni<Boolean> hasFactor(UserId user) {
        return has(user).flatMap(p -> p ? Uni.createFrom().item(true) : mfa.enrolled(user));
    }

    private static List<WebAuthnCeremonies.Existing> existing(List<StoredPasskey> passkeys) {
        return passkeys.stream().map(p -> new WebAuthnCeremonies.Existing(p.credentialId(), p.transports())).toList();
    }

    private <T> Uni<T> failed(String ceremony, UUID user, String reason, CallerAddress address) {
        audit.event("passkey_assertion", "rejected").user(user).with("ceremony", ceremony).with("reason", reason).ip(address.value()).log();
        return Uni.createFrom().failure(invalid());
    }

    private static SigilException invalid() {
        return new SigilException(ErrorCode.INVALID_CREDENTIALS, "The passkey could not be verified");
    }

    private static SigilException invalidCeremony() {
        return new SigilException(ErrorCode.VALIDATION_FAILED, "The ceremony is unknown, expired, used or another user's; fetch new options");
    }

    private static SigilException rejected() {
        return new SigilException(ErrorCode.MFA_CODE_REJECTED, "The passkey could not be verified");
    }
}
