package dev.sigil.login;

import dev.sigil.audit.Audit;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.LoginName;
import dev.sigil.id.UserId;
import dev.sigil.mfa.MfaService;
import dev.sigil.passkey.PasskeyService;
import dev.sigil.password.PasswordPolicy;
import dev.sigil.session.SessionService;
import dev.sigil.session.TokenGrant;
import dev.sigil.throttle.Throttle;
import dev.sigil.token.Authentication;
import dev.sigil.user.UserService;
import dev.sigil.user.UserSnapshot;
import dev.sigil.web.CallerAddress;
import dev.sigil.web.CallerInfo;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Login: pass the brute-force throttle, check the credentials, then start a session. */
@ApplicationScoped
public class LoginService {

    private final UserService users;
    private final SessionService sessions;
    private final Throttle throttle;
    private final Audit audit;
    private final MfaService mfa;
    private final PasskeyService passkeys;

    public LoginService(UserService users, SessionService sessions, Throttle throttle, Audit audit, MfaService mfa, PasskeyService passkeys) {
        this.mfa = mfa;
        this.passkeys = passkeys;
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.audit = audit;
    }

    public Uni<LoginOutcome> login(String username, String password, CallerInfo caller) {
        CallerAddress address = caller.address();
        if (!PasswordPolicy.wellFormed(password)) {
            // Hashing would turn a lone surrogate into '?' and match another password: bad input, not a guess.
            return Uni.createFrom().failure(
                    SigilException.validation("password must be well-formed Unicode (it contains a lone UTF-16 surrogate)"));
        }
        LoginName name = LoginName.of(username);
        return throttle.beforeLogin(address)
                .chain(() -> throttle.passwordCheck(name, address, ErrorCode.INVALID_CREDENTIALS, () -> users.authenticate(name, password)))
                .onFailure(SigilException.class).invoke(e -> audit.event("login", outcome((SigilException) e)).ip(address.value()).log())
                .flatMap(user -> secondFactorDue(user.id()).flatMap(enrolled -> enrolled
                        // Right password, second factor pending: no session, an mfa_token for POST /login/mfa.
                        ? mfa.challenge(user).flatMap(t -> {
                            audit.event("login", "mfa_required").user(user.id()).ip(address.value()).log();
                            return Uni.createFrom().<LoginOutcome>item(new LoginOutcome.MfaRequired(t));
                        })
                        : startSession(user, caller, List.of(Authentication.PASSWORD)).map(LoginOutcome.Session::new)));
    }

    /**
     * The second step of an enrolled user's login: one attempt of the mfa_token is reserved first (it dies
     * after 5, or 5 minutes), the code is checked under the user's login lockout, and the token is used
     * up by the one request that completes the login.
     */
    public Uni<TokenGrant> completeWithCode(String mfaToken, String code, CallerInfo caller) {
        CallerAddress address = caller.address();
        // Counts against the address's login rate like /login, so invalid tokens cannot be sprayed for free.
        return throttle.beforeLogin(address).chain(() -> mfa.attempt(mfaToken)).flatMap(pending -> {
            if (pending == null) {
                audit.event("login_mfa", "invalid_token").ip(address.value()).log();
                return Uni.createFrom().<TokenGrant>failure(invalidMfaToken());
            }
            // The stored name has the canonical form of the name typed at login: the same lockout.
            return mfa.checkAtLogin(pending.id(), pending.username(), code, address)
                    .onFailure(SigilException.class).invoke(e -> audit.event("login_mfa", outcome((SigilException) e))
                            .user(pending.id()).ip(address.value()).log())
                    .chain(() -> mfa.consume(mfaToken))
                    .flatMap(won -> won
                            ? startSession(pending, caller, List.of(Authentication.PASSWORD, Authentication.OTP))
                            : Uni.createFrom().failure(invalidMfaToken()));
        });
    }

    /** Whether a password login of {@code user} must be followed by a second factor: a confirmed TOTP, or a passkey. */
    private Uni<Boolean> secondFactorDue(UserId user) {
        return mfa.enrolled(user).flatMap(totp -> totp ? Uni.createFrom().item(true) : passkeys.has(user));
    }

    /**
     * The second step with a passkey: like a code, one attempt of the mfa_token is reserved first; the assertion
     * must be of a ceremony opened for that user and of one of the user's passkeys. amr: pwd and the passkey's.
     */
    public Uni<TokenGrant> completeWithPasskey(String mfaToken, String ceremony, String credential, CallerInfo caller) {
        CallerAddress address = caller.address();
        passkeys.requireEnabled();
        return throttle.beforeLogin(address).chain(() -> mfa.attempt(mfaToken)).flatMap(pending -> {
            if (pending == null) {
                audit.event("login_mfa", "invalid_token").ip(address.value()).log();
                return Uni.createFrom().<TokenGrant>failure(invalidMfaToken());
            }
            return passkeys.secondFactor(pending.id(), ceremony, credential, address)
                    .onFailure(SigilException.class).transform(e -> {
                        audit.event("login_mfa", "invalid_mfa_code").user(pending.id()).ip(address.value()).with("method", "passkey").log();
                        return new SigilException(ErrorCode.INVALID_MFA_CODE, "The passkey could not be verified");
                    })
                    .flatMap(methods -> mfa.consume(mfaToken).flatMap(won -> won
                            ? startSession(pending, caller, Authentication.combined(List.of(Authentication.PASSWORD), methods))
                            : Uni.createFrom().failure(invalidMfaToken())));
        });
    }

    /** Passwordless sign-in: throttled per address like /login; any failure is invalid_credentials. */
    public Uni<TokenGrant> signInWithPasskey(String ceremony, String credential, CallerInfo caller) {
        passkeys.requireEnabled();
        CallerAddress address = caller.address();
        return throttle.beforeLogin(address).chain(() -> passkeys.signIn(ceremony, credential, address))
                // The passkey's user as now: still enabled, and the one the options named (if any).
                .flatMap(signedIn -> users.ifEnabled(signedIn.user().value()).flatMap(user ->
                        user == null || !PasskeyService.matchesBoundName(signedIn, user.username())
                                ? passkeys.<Passwordless>refuse(signedIn, address)
                                : Uni.createFrom().item(new Passwordless(user, signedIn.methods()))))
                .onFailure(SigilException.class).invoke(e -> audit.event("login", outcome((SigilException) e)).ip(address.value())
                        .with("method", "passkey").log())
                .flatMap(p -> startSession(p.user(), caller, p.methods()));
    }

    /** A verified passwordless sign-in of a user still allowed in. */
    private record Passwordless(UserSnapshot user, List<String> methods) {
    }

    /** Options of a passwordless sign-in: counted against the address's login rate, so they cannot fill Redis. */
    public Uni<PasskeyService.Options> passkeyOptions(String username, CallerAddress address) {
        passkeys.requireEnabled();
        return throttle.beforeLogin(address).chain(() -> passkeys.signInOptions(username));
    }

    /** Options of a passkey as the second factor of a pending login. */
    public Uni<PasskeyService.Options> secondFactorPasskeyOptions(String mfaToken, CallerAddress address) {
        passkeys.requireEnabled();
        return throttle.beforeLogin(address).chain(() -> passkeys.secondFactorOptions(mfaToken));
    }

    private Uni<TokenGrant> startSession(UserSnapshot user, CallerInfo caller, List<String> methods) {
        CallerAddress address = caller.address();
        return sessions.start(user, caller, methods)
                .invoke(g -> audit.event("login", "ok").user(user.id()).session(g.sessionId()).ip(address.value())
                        .with("amr", String.join(" ", methods)).log())
                .onFailure(SigilException.class).invoke(e -> audit.event("login", outcome((SigilException) e))
                        .user(user.id()).ip(address.value()).log());
    }

    private static SigilException invalidMfaToken() {
        return new SigilException(ErrorCode.INVALID_MFA_TOKEN, "The mfa_token is unknown, expired, used or out of attempts; log in again");
    }

    /** invalid_credentials, locked (this username from this address, or its ceiling), rate_limited (the address), unavailable. */
    private static String outcome(SigilException e) {
        return e instanceof Throttle.Refused r && r.lockout ? "locked" : e.code.code();
    }
}
