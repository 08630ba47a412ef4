package dev.sigil.login;

import dev.sigil.session.ClientInfo;
import dev.sigil.session.SessionService;
import dev.sigil.session.TokenGrant;
import dev.sigil.throttle.Throttle;
import dev.sigil.user.UserService;
import dev.sigil.web.ErrorCode;
import dev.sigil.web.SigilException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Login: pass the brute-force throttle, check the credentials, then start a session. */
@ApplicationScoped
public class LoginService {

    private final UserService users;
    private final SessionService sessions;
    private final Throttle throttle;

    public LoginService(UserService users, SessionService sessions, Throttle throttle) {
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    public Uni<TokenGrant> login(String username, String password, ClientInfo client) {
        String address = client.address();
        return throttle.beforeLogin(username, address)
                .chain(() -> users.authenticate(username, password))
                .onFailure(LoginService::badCredentials).call(e -> throttle.loginFailed(username, address))
                .onFailure(SigilException.class).invoke(e -> Log.infof("event=login_failed outcome=%s ip=%s",
                        ((SigilException) e).code.code(), address))
                .call(user -> throttle.loginSucceeded(username, address))
                .flatMap(user -> sessions.start(user, client)
                        .invoke(g -> Log.infof("event=login_ok user=%s sid=%s ip=%s", user.id(), g.sessionId(), address)));
    }

    private static boolean badCredentials(Throwable e) {
        return e instanceof SigilException s && s.code == ErrorCode.INVALID_CREDENTIALS;
    }
}
