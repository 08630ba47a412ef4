package dev.sigil.user;

import dev.sigil.error.Outages;
import dev.sigil.id.Username;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Users in PostgreSQL. Every failure to reach the database surfaces as a 503 outage. */
@ApplicationScoped
@WithSession
public class UserRepository implements PanacheRepositoryBase<User, UUID> {

    private static final String MATCHING = "lower(username) like lower(?1) escape '!'";

    /**
     * Compares lower(username), served by the unique index on it, with the canonical (ASCII lower-case)
     * name: stored names are of the registration alphabet, where lower() is ASCII lower-casing too.
     */
    public Uni<User> findByUsername(Username username) {
        return Outages.postgresql(find("lower(username) = ?1", username.canonical()).firstResult());
    }

    /** Users holding {@code role}. */
    public Uni<Long> countWithRole(String role) {
        return Outages.postgresql(getSession().flatMap(s -> s
                .createNativeQuery("select count(*) from {h-schema}users where cast(?1 as text) = any(roles)", Long.class)
                .setParameter(1, role).getSingleResult()));
    }

    /** Enabled users holding {@code role}, other than {@code except}. */
    public Uni<Long> countEnabledWithRoleExcept(String role, UUID except) {
        return Outages.postgresql(getSession().flatMap(s -> s
                .createNativeQuery("select count(*) from {h-schema}users where cast(?1 as text) = any(roles) and enabled and id <> ?2",
                        Long.class)
                .setParameter(1, role).setParameter(2, except).getSingleResult()));
    }

    /**
     * Serialises, across replicas and for the rest of the current transaction, every decision that
     * depends on who holds the admin role: creating the bootstrap admin, and removing an admin.
     */
    public Uni<Void> lockAdmins() {
        return Outages.postgresql(getSession().flatMap(s -> s
                .createNativeQuery("select pg_advisory_xact_lock(7261001)").getSingleResult())).replaceWithVoid();
    }

    public Uni<User> byId(UUID id) {
        return Outages.postgresql(findById(id));
    }

    /** A page of users whose lower-cased username is LIKE {@code pattern} ('!' escapes), by username. */
    public Uni<List<User>> page(String pattern, int page, int size) {
        return Outages.postgresql(find(MATCHING, Sort.by("username").and("id"), pattern)
                .page(Page.of(page, size)).list());
    }

    public Uni<Long> countMatching(String pattern) {
        return Outages.postgresql(count(MATCHING, pattern));
    }

    public Uni<User> add(User user) {
        return Outages.postgresql(persistAndFlush(user));
    }

    public Uni<Boolean> remove(UUID id) {
        return Outages.postgresql(deleteById(id));
    }

    /** Replaces the password hash; with {@code expected} only if the current hash is still that one. Returns rows changed. */
    /** Replaces {@code expected} with a stronger hash of the same password (no password change: nothing else moves). */
    public Uni<Integer> upgradePasswordHash(UUID id, String hash, String expected) {
        return Outages.postgresql(update("passwordHash = ?1 where id = ?2 and passwordHash = ?3", hash, id, expected));
    }

    public Uni<Integer> setPasswordHash(UUID id, String hash, String expected, OffsetDateTime now) {
        return Outages.postgresql(expected == null
                ? update("passwordHash = ?1, passwordChangedAt = ?2, updatedAt = ?2 where id = ?3", hash, now, id)
                : update("passwordHash = ?1, passwordChangedAt = ?2, updatedAt = ?2 where id = ?3 and passwordHash = ?4",
                        hash, now, id, expected));
    }
}
