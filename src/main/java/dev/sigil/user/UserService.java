package dev.sigil.user;

import dev.sigil.audit.Audit;
import dev.sigil.error.DependencyUnavailableException;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.LoginName;
import dev.sigil.id.Username;
import dev.sigil.password.PasswordHasher;
import dev.sigil.postgresql.LoginShare;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** User rules: credentials, the enabled flag, hash upgrades. The entity never leaves this layer. */
@ApplicationScoped
public class UserService {

    private final UserRepository users;
    private final UserDirectory directory;
    private final PasswordHasher hasher;
    private final Audit audit;
    private final LoginShare share;

    public UserService(UserRepository users, UserDirectory directory, PasswordHasher hasher, Audit audit, LoginShare share) {
        this.share = share;
        this.users = users;
        this.directory = directory;
        this.hasher = hasher;
        this.audit = audit;
    }

    /**
     * Checks a username and password. Unknown user, wrong password and disabled user fail alike, and
     * all three pay for one Argon2id verification, so neither the answer nor its timing tells them apart.
     * A name outside the registration alphabet matches no user: it is not looked up (whatever the
     * database's lower() would fold it to), and it pays for the verification all the same. No session is
     * held here: the lookup opens and closes its own, so no connection waits through the hash.
     */
    public Uni<UserSnapshot> authenticate(LoginName name, String password) {
        Uni<User> found = name instanceof Username u ? share.run(() -> users.findByUsername(u)) : Uni.createFrom().nullItem();
        return found
                .flatMap(user -> hasher.verify(user == null ? null : user.passwordHash, password)
                        .flatMap(ok -> {
                            if (!ok || !user.enabled) {
                                return Uni.createFrom().failure(new SigilException(ErrorCode.INVALID_CREDENTIALS,
                                        "The username or password is incorrect"));
                            }
                            return upgradeHashIfWeak(user, password).replaceWith(UserSnapshot.of(user));
                        }));
    }

    /**
     * The user as now, for one who may still hold a session, or null if deleted or disabled. Read by a
     * refresh (no bearer token), so within the login share.
     */
    public Uni<UserSnapshot> ifEnabled(UUID id) {
        return share.run(() -> users.byId(id)).map(u -> u == null || !u.enabled ? null : UserSnapshot.of(u));
    }

    /**
     * The user of a password check that passed ({@code checked}), read afresh; null when the user has since
     * been deleted, disabled or given another password. Within the login share, like the lookup of the check.
     */
    public Uni<UserSnapshot> ifStillValid(UserSnapshot checked) {
        return share.run(() -> users.byId(checked.id().value())).map(u -> u == null || !u.enabled
                || !u.passwordChangedAt.toInstant().equals(checked.passwordChangedAt()) ? null : UserSnapshot.of(u));
    }

    /** The caller's profile; null if the user no longer exists. */
    public Uni<UserSnapshot> profile(UUID id) {
        return users.byId(id).map(u -> u == null ? null : UserSnapshot.of(u));
    }

    /** When the configured Argon2id parameters have risen, re-hash at this successful login. */
    private Uni<Void> upgradeHashIfWeak(User user, String password) {
        if (!hasher.needsRehash(user.passwordHash)) {
            return Uni.createFrom().voidItem();
        }
        // Hashed outside any session; the write is one short transaction of its own.
        return hasher.hash(password)
                .flatMap(hash -> directory.upgradePasswordHash(user.id, hash, user.passwordHash))
                .invoke(upgraded -> {
                    if (upgraded) {
                        audit.event("password_hash_upgraded", "ok").user(user.id).log();
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Creates the bootstrap admin unless some user already holds {@code role}; safe across replicas. Replicas
     * that start together queue on one advisory lock, and on a busy database the wait can pass lock_timeout
     * (2 s, right for requests): the attempt is then made again, for up to about 30 s, instead of failing
     * the start-up of every replica but the first.
     */
    public Uni<Boolean> createAdminIfNone(String username, String passwordHash, String email, String role) {
        return Uni.createFrom().deferred(() -> createAdminIfNoneOnce(username, passwordHash, email, role))
                .onFailure(DependencyUnavailableException.class).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(BOOTSTRAP_ATTEMPTS - 1);
    }

    /** Attempts at creating the bootstrap admin (the first and its retries). */
    static final int BOOTSTRAP_ATTEMPTS = 16;

    /** One attempt of {@link #createAdminIfNone}, in a transaction of its own (ArC intercepts self-invocation). */
    @WithTransaction
    Uni<Boolean> createAdminIfNoneOnce(String username, String passwordHash, String email, String role) {
        Username name = Username.parse(username).orElse(null);
        if (name == null) {
            Log.warn("Bootstrap admin not created: the username must be 3 to 64 characters of A-Z, a-z, 0-9, '.', '_', '@' and '-'");
            return Uni.createFrom().item(false);
        }
        // A transaction-scoped advisory lock serialises concurrent replicas starting at once.
        return users.lockAdmins()
                .flatMap(x -> users.countWithRole(role))
                .flatMap(n -> {
                    if (n > 0) {
                        return Uni.createFrom().item(false);
                    }
                    return users.findByUsername(name).flatMap(existing -> {
                        if (existing != null) {
                            Log.warnf("Bootstrap admin not created: the username is taken by a user without the %s role", role);
                            return Uni.createFrom().item(false);
                        }
                        User u = newUser(username, passwordHash, email, List.of(role), Map.of());
                        u.emailVerified = email != null; // the operator configured it
                        return users.persist(u).replaceWith(true);
                    });
                });
    }

    static User newUser(String username, String hash, String email, List<String> roles, Map<String, Object> claims) {
        User u = new User();
        u.id = UUID.randomUUID();
        u.username = username;
        u.email = email;
        u.passwordHash = hash;
        u.roles = roles.toArray(String[]::new);
        u.customClaims = new java.util.LinkedHashMap<>(claims);
        u.enabled = true;
        OffsetDateTime now = OffsetDateTime.now();
        u.createdAt = now;
        u.updatedAt = now;
        u.passwordChangedAt = now;
        return u;
    }
}
