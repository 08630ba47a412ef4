package dev.sigil.login;

import dev.sigil.audit.Audit;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.LoginName;
import dev.sigil.password.PasswordPolicy;
import dev.sigil.session.SessionService;
import dev.sigil.session.TokenGrant;
import dev.sigil.throttle.Throttle;
import dev.sigil.user.UserService;
import dev.sigil.web.ClientAddress;
import dev.sigil.web.ClientInfo;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Login: pass the brute-force throttle, check the credentials, then start a session. */
@ApplicationScoped
public class LoginService {

    private final UserService users;
    private final SessionService sessions;
    private final Throttle throttle;
    private final Audit audit;

    public LoginService(UserService users, SessionService sessions, Throttle throttle, Audit audit) {
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.audit = audit;
    }

    public Uni<TokenGrant> login(String username, String password, ClientInfo client) {
        ClientAddress address = client.address();
        if (!PasswordPolicy.wellFormed(password)) {
            // Hashing would turn a lone surrogate into '?' and match another password: bad input, not a guess.
            return Uni.createFrom().failure(
                    SigilException.validation("password must be well-formed Unicode (it contains a lone UTF-16 surrogate)"));
        }
        LoginName name = LoginName.of(username);
        return throttle.beforeLogin(address)
                .chain(() -> throttle.passwordCheck(name, address, ErrorCode.INVALID_CREDENTIALS, () -> users.authenticate(name, password)))
                .onFailure(SigilException.class).invoke(e -> audit.event("login", outcome((SigilException) e)).ip(address.value()).log())
                .flatMap(user -> sessions.start(user, client)
                        .invoke(g -> audit.event("login", "ok").user(user.id()).session(g.sessionId()).ip(address.value()).log())
                        .onFailure(SigilException.class).invoke(e -> audit.event("login", outcome((SigilException) e))
                                .user(user.id()).ip(address.value()).log()));
    }

    /** invalid_credentials, locked (this username from this address, or its ceiling), rate_limited (the address), unavailable. */
    private static String outcome(SigilException e) {
        return e instanceof Throttle.Refused r && r.lockout ? "locked" : e.code.code();
    }
}
