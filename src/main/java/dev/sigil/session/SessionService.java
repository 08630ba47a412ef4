package dev.sigil.session;

import dev.sigil.audit.Audit;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.SessionId;
import dev.sigil.id.UserId;
import dev.sigil.token.AccessTokenIssuer;
import dev.sigil.token.TokenSubject;
import dev.sigil.user.UserService;
import dev.sigil.web.ClientInfo;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The session (token family) rules: start at login, rotate on every refresh with grace and reuse
 * detection, end at logout or revocation. Redis state lives in {@link SessionStore}; tokens are
 * minted by {@link AccessTokenIssuer}.
 */
@ApplicationScoped
public class SessionService {

    private final SessionStore store;
    private final AccessTokenIssuer issuer;
    private final UserService users;
    private final Audit audit;

    public SessionService(SessionStore store, AccessTokenIssuer issuer, UserService users, Audit audit) {
        this.store = store;
        this.issuer = issuer;
        this.users = users;
        this.audit = audit;
    }

    /** Starts a session for an authenticated user. */
    public Uni<TokenGrant> start(TokenSubject user, ClientInfo client) {
        RefreshToken token = RefreshToken.start(UserId.of(user.id()));
        return store.create(token, client.address().value(), client.userAgent())
                .map(ttlMs -> grant(user, token, ttlMs));
    }

    /**
     * Rotates {@code presented}: the current token gets a successor; its immediate predecessor within
     * the grace period gets the same successor; any other retired token revokes the whole session.
     */
    public Uni<TokenGrant> refresh(String presented, ClientInfo client) {
        return rotate(presented, client).onFailure(SessionService::isInvalid).invoke(() -> audit.count("refresh", "invalid"));
    }

    private Uni<TokenGrant> rotate(String presented, ClientInfo client) {
        RefreshToken token = RefreshToken.parse(presented);
        if (token == null) {
            return Uni.createFrom().failure(invalid());
        }
        // The user is read first: a disabled or deleted user must not get a rotation, and role
        // changes must reach the new access token.
        return users.subjectIfEnabled(token.userId().value()).flatMap(user -> {
            if (user == null) {
                return store.revoke(token.userId(), token.sid()).flatMap(x -> Uni.createFrom().failure(invalid()));
            }
            RefreshToken successor = token.successor();
            return store.rotate(token, successor, client.address().value(), client.userAgent()).flatMap(r -> switch (r.outcome()) {
                case ROTATED -> {
                    audit.count("refresh", "rotated");
                    yield Uni.createFrom().item(grant(user, successor, r.ttlMs()));
                }
                case GRACE -> {
                    RefreshToken winner = token.openSuccessor(r.sealedSuccessor());
                    if (winner == null) {
                        yield Uni.createFrom().failure(invalid());
                    }
                    audit.count("refresh", "grace");
                    yield Uni.createFrom().item(grant(user, winner, r.ttlMs()));
                }
                case REUSED -> {
                    audit.event("refresh", "reused").user(user.id()).session(token.sid()).ip(client.address().value())
                            .with("action", "session_revoked").with("suspected", "theft").warn().log();
                    yield Uni.createFrom().failure(new SigilException(ErrorCode.REFRESH_TOKEN_REUSED,
                            "This refresh token was already used; the session has been revoked"));
                }
                case INVALID -> Uni.createFrom().failure(invalid());
            });
        });
    }

    /**
     * Refuses a request that carries the refresh cookie more than once ({@code event} is "refresh" or
     * "logout"), with an audit line: a second cookie is typically planted, to switch the victim into
     * the attacker's session. Neither cookie is used, nor cleared.
     */
    public <T> Uni<T> refuseDuplicateCookie(String event, int occurrences, ClientInfo client) {
        audit.event(event, "duplicate_cookie").ip(client.address().value()).with("cookies", occurrences).warn().log();
        return Uni.createFrom().failure(new DuplicateCookieException());
    }

    /** Ends the session of {@code presented}, if it names one; never fails for a bad token. */
    public Uni<Void> logout(String presented, ClientInfo client) {
        RefreshToken token = RefreshToken.parse(presented);
        if (token == null) {
            return Uni.createFrom().voidItem();
        }
        return store.logout(token).invoke(ended -> {
            if (ended) {
                audit.event("logout", "ok").user(token.userId()).session(token.sid()).ip(client.address().value()).log();
            }
        }).replaceWithVoid();
    }

    public Uni<List<SessionStore.StoredSession>> list(UserId userId) {
        return store.list(userId);
    }

    /** Revokes one of the user's sessions; false when the user has no such session. */
    public Uni<Boolean> revoke(UserId userId, SessionId sid) {
        return store.revoke(userId, sid).invoke(existed -> {
            if (existed) {
                audit.event("sessions_revoked", "one").user(userId).session(sid).log();
            }
        });
    }

    /** Log out everywhere: every session and every access token issued so far. */
    public Uni<Long> revokeEverywhere(UserId userId) {
        return store.revokeAll(userId, null, true)
                .invoke(n -> audit.event("sessions_revoked", "all").user(userId).with("count", n).log());
    }

    private TokenGrant grant(TokenSubject user, RefreshToken refresh, long ttlMs) {
        return new TokenGrant(issuer.issue(user, refresh.sid()), refresh.encode(), Math.max(0, ttlMs / 1000), refresh.sid());
    }

    private static boolean isInvalid(Throwable e) {
        return e instanceof SigilException s && s.code == ErrorCode.INVALID_REFRESH_TOKEN;
    }

    private static SigilException invalid() {
        return new SigilException(ErrorCode.INVALID_REFRESH_TOKEN, "The refresh token is missing, unknown, expired or revoked");
    }
}
