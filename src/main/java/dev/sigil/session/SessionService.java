package dev.sigil.session;

import dev.sigil.audit.Audit;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.SessionId;
import dev.sigil.id.TokenId;
import dev.sigil.id.UserId;
import dev.sigil.token.AccessTokenIssuer;
import dev.sigil.token.Authentication;
import dev.sigil.user.UserService;
import dev.sigil.user.UserSnapshot;
import dev.sigil.user.UserVersions;
import dev.sigil.web.CallerInfo;
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
    private final UserVersions versions;
    private final Audit audit;
    private final RefreshKeys keys;

    public SessionService(SessionStore store, AccessTokenIssuer issuer, UserService users, UserVersions versions, Audit audit,
                          RefreshKeys keys) {
        this.keys = keys;
        this.store = store;
        this.issuer = issuer;
        this.users = users;
        this.versions = versions;
        this.audit = audit;
    }

    /**
     * Starts a session for a user whose password was just verified. The user's version is read first,
     * then the user afresh (still enabled, same password), and the session is created only if the
     * version has not moved since (one script): a disable, delete or reset that commits at any point
     * of the login leaves it without a session. A version that moved is read once more; if it moves
     * again the caller is asked to retry.
     */
    public Uni<TokenGrant> start(UserSnapshot checked, CallerInfo caller) {
        return start(checked, caller, List.of(Authentication.PASSWORD));
    }

    /** As above, for a login that used {@code methods} ({@code amr}); {@code auth_time} is now. */
    public Uni<TokenGrant> start(UserSnapshot checked, CallerInfo caller, List<String> methods) {
        return startOnce(checked, caller, new Authentication(methods, java.time.Instant.now().getEpochSecond()), true);
    }

    /**
     * Step-up: records a second factor just verified in the caller's session (amr pwd+otp, auth_time
     * now), atomically; every later refresh carries it. False when the session has ended.
     */
    public Uni<Boolean> stepUp(UserId userId, SessionId sid) {
        Authentication authn = new Authentication(List.of(Authentication.PASSWORD, Authentication.OTP), java.time.Instant.now().getEpochSecond());
        return store.stepUp(userId, sid, authn);
    }

    /** Step-up with a passkey: the session's methods become {@code methods} (multi-factor), auth_time now. */
    public Uni<Boolean> stepUp(UserId userId, SessionId sid, List<String> methods) {
        return store.stepUp(userId, sid, new Authentication(methods, java.time.Instant.now().getEpochSecond()));
    }

    /**
     * After the user's second factor was removed: no session keeps {@code otp} (nor the roles of
     * sigil.mfa.required-roles at its next refresh), and every access token issued so far is refused on
     * Sigil's own checks. Returns how many sessions lost {@code otp}.
     */
    public Uni<Long> dropSecondFactor(UserId userId) {
        return store.dropSecondFactor(userId);
    }

    private Uni<TokenGrant> startOnce(UserSnapshot checked, CallerInfo caller, Authentication authn, boolean mayRetry) {
        UserId id = checked.id();
        return versions.current(id).flatMap(version -> users.ifStillValid(checked).flatMap(user -> {
            if (user == null) {
                return Uni.createFrom().failure(new SigilException(ErrorCode.INVALID_CREDENTIALS, "The username or password is incorrect"));
            }
            RefreshToken token = RefreshToken.start(id, keys);
            return store.create(token, caller.address().value(), caller.userAgent(), version, user.toJson(), authn)
                    .flatMap(created -> {
                        if (!created.stale()) {
                            created.evicted().forEach(sid -> audit.event("session_evicted", "ok").user(id).session(sid)
                                    .with("reason", "max_sessions_per_user").with("by_session", token.sid()).log());
                            return Uni.createFrom().item(grant(user, token, created.ttlMs(), version, authn));
                        }
                        if (mayRetry) {
                            return startOnce(checked, caller, authn, false);
                        }
                        return Uni.createFrom().failure(new SigilException(ErrorCode.UNAVAILABLE,
                                "The account changed while signing in; retry", 1));
                    });
        }));
    }

    /**
     * Rotates {@code presented}: the current token gets a successor; its immediate predecessor within
     * the grace period gets the same successor; any other retired token revokes the whole session.
     * The access token is minted from the subject the session holds, without PostgreSQL, as long as the
     * user's version is the one that subject was read at; when it moved (a change to the user), the user
     * is read again once and the rotation stores the fresh subject, or the session is revoked when the
     * user is now disabled or deleted.
     */
    public Uni<TokenGrant> refresh(String presented, CallerInfo caller) {
        RefreshToken token = RefreshToken.parse(presented);
        // A tag no key of ours made: a token Sigil never issued, refused without asking Redis.
        if (token == null || !token.taggedBy(keys)) {
            return Uni.createFrom().<TokenGrant>failure(invalid()).onFailure().invoke(() -> audit.count("refresh", "invalid"));
        }
        return rotate(token, caller, null)
                .onFailure(SessionService::isInvalid).invoke(() -> audit.count("refresh", "invalid"));
    }

    private Uni<TokenGrant> rotate(RefreshToken token, CallerInfo caller, SessionStore.Fresh fresh) {
        RefreshToken successor = token.successor(keys);
        return store.rotate(token, successor, caller.address().value(), caller.userAgent(), fresh)
                .flatMap(r -> switch (r.outcome()) {
                    case ROTATED -> {
                        audit.count("refresh", "rotated");
                        yield Uni.createFrom().item(grant(r, token, successor));
                    }
                    case GRACE -> {
                        RefreshToken winner = token.openSuccessor(r.sealedSuccessor(), keys);
                        if (winner == null) {
                            yield Uni.createFrom().failure(invalid());
                        }
                        audit.count("refresh", "grace");
                        yield Uni.createFrom().item(grant(r, token, winner));
                    }
                    case REUSED -> {
                        audit.event("refresh", "reused").user(token.userId()).session(token.sid()).ip(caller.address().value())
                                .with("action", "session_revoked").with("suspected", "theft").warn().log();
                        yield Uni.createFrom().failure(new SigilException(ErrorCode.REFRESH_TOKEN_REUSED,
                                "This refresh token was already used; the session has been revoked"));
                    }
                    case INVALID -> Uni.createFrom().failure(invalid());
                    case STALE -> fresh == null ? reread(token, caller) : Uni.createFrom().failure(
                            new SigilException(ErrorCode.UNAVAILABLE, "The account changed during the refresh; retry", 1));
                });
    }

    /**
     * The user changed since the session's subject was read: the version is read before the user, and
     * the rotate script refuses ('stale') when it moved after that read, so no token is minted from a read
     * older than a change. A disabled or deleted user gets no rotation, and the session is revoked.
     */
    private Uni<TokenGrant> reread(RefreshToken token, CallerInfo caller) {
        return versions.current(token.userId()).flatMap(version -> users.ifEnabled(token.userId().value()).flatMap(user -> {
            if (user == null) {
                return store.revoke(token.userId(), token.sid()).flatMap(x -> Uni.createFrom().failure(invalid()));
            }
            return rotate(token, caller, new SessionStore.Fresh(version, user.toJson()));
        }));
    }

    /**
     * Refuses a request that carries the refresh cookie more than once ({@code event} is "refresh" or
     * "logout"), with an audit line: a second cookie is typically planted, to switch the victim into
     * the attacker's session. Neither cookie is used, nor cleared.
     */
    public <T> Uni<T> refuseDuplicateCookie(String event, int occurrences, CallerInfo caller) {
        audit.event(event, "duplicate_cookie").ip(caller.address().value()).with("cookies", occurrences).warn().log();
        return Uni.createFrom().failure(new DuplicateCookieException());
    }

    /** Ends the session of {@code presented}, if it names one; never fails for a bad token. */
    public Uni<Void> logout(String presented, CallerInfo caller) {
        RefreshToken token = RefreshToken.parse(presented);
        if (token == null || !token.taggedBy(keys)) {
            return Uni.createFrom().voidItem();
        }
        return store.logout(token).invoke(ended -> {
            if (ended) {
                audit.event("logout", "ok").user(token.userId()).session(token.sid()).ip(caller.address().value()).log();
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
        return revokeAll(userId)
                .invoke(n -> audit.event("sessions_revoked", "all").user(userId).with("count", n).log());
    }

    /**
     * An account operation that takes the user's access away ({@code event}: user_disabled, user_deleted,
     * password_reset): every access token and every session ends, with one audit line naming the actor.
     * Account code revokes only through here, so revocation and its audit live in one place.
     */
    public Uni<Long> revokeEverything(UserId userId, String event, Object actor) {
        return revokeAll(userId)
                .invoke(n -> audit.event(event, "ok").user(userId).with("by", actor).with("sessions_revoked", n).log());
    }

    /** After a password change or the removal of the second factor by the user: every other session ends; {@code keep} (the caller's) stays. */
    public Uni<Long> revokeOthers(UserId userId, SessionId keep) {
        return store.revokeAll(userId, keep);
    }

    /** POST /oauth2/revoke of a user's access token: its jti is deny-listed until {@code expiresAtEpochSeconds}. */
    public Uni<Void> revokeAccessToken(UserId userId, TokenId jti, long expiresAtEpochSeconds) {
        return store.denyAccessToken(userId, jti, expiresAtEpochSeconds);
    }

    /** After any other change to the user committed: access tokens issued before it are refused at once. */
    public Uni<Long> endOlderTokens(UserId userId) {
        return versions.bump(userId);
    }

    /**
     * Ends every access token issued to the user so far (bumps the version), then every session.
     * The bump comes first: a login that read the older version can no longer create a session
     * (session-create compares it), so none can slip in between reading the index and revoking.
     */
    private Uni<Long> revokeAll(UserId userId) {
        return versions.bump(userId).flatMap(v -> store.revokeAll(userId, null));
    }

    /** Mints the session's access token (the issuer withholds the roles that need a second factor). */
    private TokenGrant grant(UserSnapshot user, RefreshToken refresh, long ttlMs, long version, Authentication authn) {
        return new TokenGrant(issuer.issue(user, refresh.sid(), version, authn), refresh.encode(),
                Math.max(0, ttlMs / 1000), refresh.sid());
    }

    private TokenGrant grant(SessionStore.Rotation r, RefreshToken presented, RefreshToken refresh) {
        return grant(UserSnapshot.fromJson(presented.userId(), r.subject()), refresh, r.ttlMs(), r.version(), r.authn());
    }

    private static boolean isInvalid(Throwable e) {
        return e instanceof SigilException s && s.code == ErrorCode.INVALID_REFRESH_TOKEN;
    }

    private static SigilException invalid() {
        return new SigilException(ErrorCode.INVALID_REFRESH_TOKEN, "The refresh token is missing, unknown, expired or revoked");
    }
}
