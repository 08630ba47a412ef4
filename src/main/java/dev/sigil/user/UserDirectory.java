package dev.sigil.user;

import dev.sigil.config.SigilConfig;
import dev.sigil.error.Causes;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.exception.ConstraintViolationException;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The transactions over users behind the account and admin services. Inputs arrive validated and
 * passwords already hashed (hashing never holds a connection); answers are views, never the entity.
 */
@ApplicationScoped
public class UserDirectory {

    /** The unique index that decides "username taken", case-insensitively (V1__users.sql). */
    static final String USERNAME_KEY = "users_username_lower_key";
    static final String UNIQUE_VIOLATION = "23505";

    /**
     * What may change in an update; a null field stays as it is ({@code setEmail} tells whether email changes).
     * {@code emailVerified} null means: verified if an email is set here, otherwise unchanged.
     */
    public record Changes(boolean setEmail, String email, Boolean emailVerified, List<String> roles, Map<String, Object> claims,
                          Boolean enabled) {
        /** Whether this change could take the admin role away: a role list without it, or disabling. */
        boolean couldRemove(String adminRole) {
            return (roles != null && !roles.contains(adminRole)) || Boolean.FALSE.equals(enabled);
        }

        /** The names of the fields this changes, for the audit line. */
        public String fields() {
            List<String> f = new java.util.ArrayList<>();
            if (setEmail) {
                f.add("email");
            }
            if (emailVerified != null) {
                f.add("email_verified");
            }
            if (roles != null) {
                f.add("roles");
            }
            if (claims != null) {
                f.add("claims");
            }
            if (enabled != null) {
                f.add("enabled");
            }
            return f.isEmpty() ? "none" : String.join(",", f);
        }
    }

    private final UserRepository users;
    private final String adminRole;

    public UserDirectory(UserRepository users, SigilConfig config) {
        this.users = users;
        this.adminRole = config.adminRole();
    }

    /** Inserts a user; 409 {@code conflict} when the username is taken in any letter case. */
    @WithTransaction
    public Uni<UserView> insert(String username, String passwordHash, String email, boolean emailVerified, List<String> roles,
                                Map<String, Object> claims, boolean enabled) {
        User u = UserService.newUser(username, passwordHash, email, roles, claims);
        u.emailVerified = email != null && emailVerified;
        u.enabled = enabled;
        return users.add(u).map(UserView::of).onFailure(UserDirectory::usernameTaken).transform(e ->
                new SigilException(ErrorCode.CONFLICT, "This username is already taken"));
    }

    @WithSession
    public Uni<UserView> get(UUID id) {
        return users.byId(id).map(u -> u == null ? null : UserView.of(u));
    }

    @WithSession
    public Uni<UserView.Page> page(String pattern, int page, int size) {
        return users.countMatching(pattern).flatMap(total -> users.page(pattern, page, size)
                .map(list -> new UserView.Page(list.stream().map(UserView::of).toList(), page, size, total)));
    }

    /**
     * The stored user, password hash included, for the password change of the account service (a service
     * too, so the entity still stays in the service layer); null when there is none.
     */
    @WithSession
    public Uni<User> stored(UUID id) {
        return users.byId(id);
    }

    /** Applies {@code changes}; null when there is no such user; 409 when it would leave no enabled admin. */
    @WithTransaction
    public Uni<UserView> update(UUID id, Changes changes) {
        boolean guarded = changes.couldRemove(adminRole);
        return (guarded ? users.lockAdmins() : Uni.createFrom().voidItem()).chain(() -> users.byId(id)).flatMap(u -> {
            if (u == null) {
                return Uni.createFrom().nullItem();
            }
            return (guarded ? keepAnAdmin(u) : Uni.createFrom().voidItem()).map(x -> {
                if (changes.setEmail()) {
                    u.email = changes.email();
                }
                // An admin who sets an address vouches for it (verified unless the patch says otherwise);
                // confirming needs an address to confirm (400 otherwise).
                if (changes.setEmail() || changes.emailVerified() != null) {
                    boolean verified = changes.emailVerified() == null || changes.emailVerified();
                    if (verified && u.email == null && changes.emailVerified() != null) {
                        throw SigilException.validation("email_verified can only be true for a user with an email");
                    }
                    u.emailVerified = verified && u.email != null;
                }
                if (changes.roles() != null) {
                    u.roles = changes.roles().toArray(String[]::new);
                }
                if (changes.claims() != null) {
                    u.customClaims = new LinkedHashMap<>(changes.claims());
                }
                if (changes.enabled() != null) {
                    u.enabled = changes.enabled();
                }
                u.updatedAt = OffsetDateTime.now();
                return UserView.of(u);
            });
        });
    }

    /**
     * Refuses (409) to take the admin role away from {@code u}, by a role change, disable or delete,
     * when it is the last enabled admin. Runs under {@link UserRepository#lockAdmins()}, taken before
     * {@code u} was read, so two admins removing each other at once are decided one after the other:
     * the second sees the first's change.
     */
    private Uni<Void> keepAnAdmin(User u) {
        if (!u.enabled || !List.of(u.roles).contains(adminRole)) {
            return Uni.createFrom().voidItem();
        }
        return users.countEnabledWithRoleExcept(adminRole, u.id).map(others -> {
            if (others == 0) {
                throw new SigilException(ErrorCode.CONFLICT,
                        "This is the last enabled admin: make another user an admin before removing this one");
            }
            return null;
        });
    }

    /**
     * Sets a new password hash and {@code password_changed_at}; with {@code expected}, only if the stored
     * hash is still that one (a concurrent change wins). False when nothing was changed.
     */
    @WithTransaction
    public Uni<Boolean> setPassword(UUID id, String hash, String expected) {
        return users.setPasswordHash(id, hash, expected, OffsetDateTime.now()).map(n -> n > 0);
    }

    /** A rehash at login: only replaces the hash that was verified, so a concurrent password change wins. */
    @WithTransaction
    public Uni<Boolean> upgradePasswordHash(UUID id, String hash, String expected) {
        return users.upgradePasswordHash(id, hash, expected).map(n -> n > 0);
    }

    /**
     * False when there is no such user; 409 when it is the last enabled admin. {@code beforeCommit} runs
     * once the delete is allowed; its failure rolls the delete back.
     */
    @WithTransaction
    public Uni<Boolean> delete(UUID id, Uni<?> beforeCommit) {
        return users.lockAdmins().chain(() -> users.byId(id)).flatMap(u -> u == null ? Uni.createFrom().item(false)
                : keepAnAdmin(u).chain(() -> beforeCommit).chain(() -> users.remove(id)));
    }

    /**
     * Decided by the SQL state and the index name that the driver and Hibernate report, never by matching
     * message text here. Hibernate Reactive hands the PostgreSQL error over as a ConstraintViolationException.
     */
    static boolean usernameTaken(Throwable e) {
        return Causes.chain(e).anyMatch(t ->
                t instanceof ConstraintViolationException c && c.getSQLException() != null
                        && UNIQUE_VIOLATION.equals(c.getSQLState()) && USERNAME_KEY.equals(c.getConstraintName())
                || t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()) && USERNAME_KEY.equals(pg.getConstraint()));
    }
}
