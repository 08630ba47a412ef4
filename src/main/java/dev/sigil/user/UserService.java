package dev.sigil.user;

import dev.sigil.audit.Audit;
import dev.sigil.password.PasswordHasher;
import dev.sigil.token.TokenSubject;
import dev.sigil.web.ErrorCode;
import dev.sigil.web.Outages;
import dev.sigil.web.SigilException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** User rules: credentials, the enabled flag, hash upgrades. The entity never leaves this layer. */
@ApplicationScoped
public class UserService {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Audit audit;

    public UserService(UserRepository users, PasswordHasher hasher, Audit audit) {
        this.users = users;
        this.hasher = hasher;
        this.audit = audit;
    }

    /**
     * Who passed the password check, and which password that was (by its change time). Login reads the
     * user again after reading the user's version and needs to know that the password is still the one
     * checked; the hash itself never leaves this class.
     */
    public record Verified(UUID id, OffsetDateTime passwordChangedAt) {
    }

    /**
     * Checks a username and password. Unknown user, wrong password and disabled user fail alike, and
     * all three pay for one Argon2id verification, so neither the answer nor its timing tells them apart.
     */
    @WithSession
    public Uni<Verified> authenticate(String username, String password) {
        // A NUL cannot be in any stored username; asking PostgreSQL would fail the query (500), so it is
        // an unknown user, and still pays for the verification below.
        Uni<User> found = UserRules.storable(username) ? users.findByUsername(username) : Uni.createFrom().nullItem();
        return found
                .flatMap(user -> hasher.verify(user == null ? null : user.passwordHash, password)
                        .flatMap(ok -> {
                            if (!ok || !user.enabled) {
                                return Uni.createFrom().failure(new SigilException(ErrorCode.INVALID_CREDENTIALS,
                                        "The username or password is incorrect"));
                            }
                            return upgradeHashIfWeak(user, password).replaceWith(new Verified(user.id, user.passwordChangedAt));
                        }));
    }

    /** The token subject for a user who may still hold a session, or null if deleted or disabled. */
    public Uni<TokenSubject> subjectIfEnabled(UUID id) {
        return users.byId(id).map(u -> u == null || !u.enabled ? null : subject(u));
    }

    /**
     * The token subject of a verified login, read afresh; null when the user has since been deleted,
     * disabled or given another password.
     */
    public Uni<TokenSubject> subjectIfStillValid(Verified verified) {
        return users.byId(verified.id()).map(u -> u == null || !u.enabled
                || !u.passwordChangedAt.isEqual(verified.passwordChangedAt()) ? null : subject(u));
    }

    /** The caller's profile; null if the user no longer exists. */
    public Uni<TokenSubject> profile(UUID id) {
        return users.byId(id).map(u -> u == null ? null : subject(u));
    }

    /** When the configured Argon2id parameters have risen, re-hash at this successful login. */
    private Uni<Void> upgradeHashIfWeak(User user, String password) {
        if (!hasher.needsRehash(user.passwordHash)) {
            return Uni.createFrom().voidItem();
        }
        // Only replaces the hash that was verified: a concurrent password change wins.
        return hasher.hash(password)
                .flatMap(hash -> Panache.withTransaction(() -> users.update(
                        "passwordHash = ?1 where id = ?2 and passwordHash = ?3", hash, user.id, user.passwordHash)))
                .onFailure().transform(Outages.of("postgresql"))
                .invoke(() -> audit.event("password_hash_upgraded", "ok").user(user.id).log())
                .replaceWithVoid();
    }

    /** Creates the bootstrap admin unless some user already holds {@code role}; safe across replicas. */
    @WithTransaction
    public Uni<Boolean> createAdminIfNone(String username, String passwordHash, String email, String role) {
        // A transaction-scoped advisory lock serialises concurrent replicas starting at once.
        return users.lockAdmins()
                .flatMap(x -> users.countWithRole(role))
                .flatMap(n -> {
                    if (n > 0) {
                        return Uni.createFrom().item(false);
                    }
                    return users.findByUsername(username).flatMap(existing -> {
                        if (existing != null) {
                            Log.warnf("Bootstrap admin not created: the username is taken by a user without the %s role", role);
                            return Uni.createFrom().item(false);
                        }
                        User u = newUser(username, passwordHash, email, List.of(role), Map.of());
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

    static TokenSubject subject(User u) {
        return new TokenSubject(u.id, u.username, u.email, List.of(u.roles), Map.copyOf(u.customClaims));
    }
}
