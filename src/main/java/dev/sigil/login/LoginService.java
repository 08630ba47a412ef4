package dev.sigil.login;

import dev.sigil.audit.Audit;
import dev.sigil.session.ClientInfo;
import dev.sigil.session.SessionService;
import dev.sigil.session.TokenGrant;
import dev.sigil.throttle.Throttle;
import dev.sigil.user.UserService;
import dev.sigil.web.ErrorCode;
import dev.sigil.web.SigilException;
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
        String address = client.address();
        return throttle.beforeLogin(username, address)
                .chain(() -> users.authenticate(username, password))
                .onFailure(LoginService::badCredentials).call(e -> throttle.loginFailed(username, address))
                .onFailure(SigilException.class).invoke(e -> audit.event("login", outcome((SigilException) e)).ip(address).log())
                .call(user -> throttle.loginSucceeded(username, address))
                .flatMap(user -> sessions.start(user, client)
                        .invoke(g -> audit.event("login", "ok").user(user.id()).session(g.sessionId()).ip(address).log())
                        .onFailure(SigilException.class).invoke(e -> audit.event("login", outcome((SigilException) e))
                                .user(user.id()).ip(address).log()));
    }

    /** invalid_credentials, locked (this username from this address, or its ceiling), rate_limited (the address), unavailable. */
    private static String outcome(SigilException e) {
        return e instanceof Throttle.Refused r && r.lockout ? "locked" : e.code.code();
    }

    private static boolean badCredentials(Throwable e) {
        return e instanceof SigilException s && s.code == ErrorCode.INVALID_CREDENTIALS;
    }
}
