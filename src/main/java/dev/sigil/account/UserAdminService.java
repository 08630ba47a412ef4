package dev.sigil.account;

import dev.sigil.audit.Audit;
import dev.sigil.id.UserId;
import dev.sigil.password.PasswordHasher;
import dev.sigil.password.PasswordPolicy;
import dev.sigil.session.SessionService;
import dev.sigil.user.UserDirectory;
import dev.sigil.user.UserRules;
import dev.sigil.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The admin API's rules: validated input, passwords through the policy and the bounded hasher, and
 * every change to a user reaches its live tokens at once. After the database change commits, the
 * user's version is bumped (every access token issued before it fails Sigil's own checks, and no
 * login that read the user before can create a session); disabling, deleting and a new password
 * also revoke every session. If Redis fails at that point the answer is 503: the change stands, and
 * repeating the request bumps the version again (a delete bumps it inside its transaction as well).
 */
@ApplicationScoped
public class UserAdminService {

    private final UserDirectory directory;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final SessionService sessions;
    private final Audit audit;

    public UserAdminService(UserDirectory directory, PasswordPolicy policy, PasswordHasher hasher, SessionService sessions, Audit audit) {
        this.directory = directory;
        this.policy = policy;
        this.hasher = hasher;
        this.sessions = sessions;
        this.audit = audit;
    }

    /**
     * Creates a user; 400 for invalid input or a refused password, 409 for a taken username.
     * {@code actor} is the admin's id, or null for self-registration: an email an admin gives is verified,
     * a self-registered one is not (nobody checked that the user owns it).
     */
    public Uni<UserView> create(String username, String password, String email, List<String> roles,
                                Map<String, Object> claims, Boolean enabled, UUID actor) {
        return Uni.createFrom().deferred(() -> {
            String name = UserRules.username(username);
            String mail = UserRules.email(email);
            List<String> r = UserRules.roles(roles);
            Map<String, Object> c = UserRules.claims(claims);
            policy.check(UserRules.password("password", password), name);
            return hasher.hash(password).flatMap(hash -> directory.insert(name, hash, mail, actor != null, r, c, enabled == null || enabled));
        }).invoke(v -> audit.event("user_created", "ok").user(v.id()).with("by", actor == null ? "self-registration" : actor).log());
    }

    public Uni<UserView.Page> list(String usernamePrefix, int page, int size) {
        return Uni.createFrom().deferred(() -> {
            UserRules.page(page, size);
            return directory.page(UserRules.prefixPattern(usernamePrefix), page, size);
        });
    }

    /** The user, or a null item when there is none. */
    public Uni<UserView> get(UUID id) {
        return directory.get(id);
    }

    /**
     * Applies the changes; any change ends the user's access tokens issued before it, and disabling
     * also revokes every session. A null item when there is no such user.
     */
    public Uni<UserView> update(UUID id, UserDirectory.Changes changes, UUID actor) {
        return Uni.createFrom().deferred(() -> {
            UserDirectory.Changes valid = new UserDirectory.Changes(changes.setEmail(), UserRules.email(changes.email()), changes.emailVerified(),
                    changes.roles() == null ? null : UserRules.roles(changes.roles()),
                    changes.claims() == null ? null : UserRules.claims(changes.claims()), changes.enabled());
            return directory.update(id, valid).flatMap(view -> {
                if (view == null) {
                    return Uni.createFrom().nullItem();
                }
                audit.event("user_updated", "ok").user(id).with("by", actor).with("fields", valid.fields()).log();
                return Boolean.FALSE.equals(valid.enabled()) ? revokeAll(id, "user_disabled", actor).replaceWith(view)
                        : sessions.endOlderTokens(UserId.of(id)).replaceWith(view);
            });
        });
    }

    /**
     * Refuses {@code password} as a new password of {@code username} when the policy does (400): the one
     * place account code asks the policy, for the password a user chooses as for one an admin sets.
     */
    public void checkNewPassword(String password, String username) {
        policy.check(password, username);
    }

    /**
     * Sets a new password (policy applies) and revokes every session and access token of the user; false when
     * there is no such user. The request record has checked presence and length (Bean Validation).
     */
    public Uni<Boolean> resetPassword(UUID id, String password, UUID actor) {
        return directory.get(id).flatMap(user -> {
            if (user == null) {
                return Uni.createFrom().item(false);
            }
            PasswordPolicy.requireWellFormed("password", password);
            policy.check(password, user.username());
            return hasher.hash(password).flatMap(hash -> directory.setPassword(id, hash, null))
                    .flatMap(set -> set ? revokeAll(id, "password_reset", actor).replaceWith(true) : Uni.createFrom().item(false));
        });
    }

    /**
     * Deletes the user and revokes every session and access token it had. The version is also bumped
     * inside the delete's transaction, once the delete is allowed: a DELETE repeated after a Redis
     * failure would answer 404 and bump nothing, so while Redis is down the user is not deleted (503).
     * False when there is no such user.
     */
    public Uni<Boolean> delete(UUID id, UUID actor) {
        return directory.delete(id, sessions.endOlderTokens(UserId.of(id)))
                .flatMap(deleted -> Boolean.TRUE.equals(deleted) ? revokeAll(id, "user_deleted", actor).replaceWith(true)
                        : Uni.createFrom().item(false));
    }

    private Uni<Void> revokeAll(UUID id, String event, UUID actor) {
        return sessions.revokeEverything(UserId.of(id), event, actor).replaceWithVoid();
    }
}
