package dev.sigil.login;

import dev.sigil.session.ClientInfo;
import dev.sigil.session.SessionService;
import dev.sigil.session.TokenGrant;
import dev.sigil.user.UserService;
import dev.sigil.web.SigilException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Login: check the credentials, then start a session. */
@ApplicationScoped
public class LoginService {

    private final UserService users;
    private final SessionService sessions;

    public LoginService(UserService users, SessionService sessions) {
        this.users = users;
        this.sessions = sessions;
    }

    public Uni<TokenGrant> login(String username, String password, ClientInfo client) {
        return users.authenticate(username, password)
                .onFailure(SigilException.class).invoke(e -> Log.infof("event=login_failed outcome=%s ip=%s",
                        ((SigilException) e).code.code(), client.address()))
                .flatMap(user -> sessions.start(user, client)
                        .invoke(g -> Log.infof("event=login_ok user=%s sid=%s ip=%s", user.id(), g.sessionId(), client.address())));
    }
}
