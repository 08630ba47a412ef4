package dev.sigil.user;

import dev.sigil.web.Outages;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Users in PostgreSQL. Every failure to reach the database surfaces as a 503 outage. */
@ApplicationScoped
@WithSession
public class UserRepository implements PanacheRepositoryBase<User, UUID> {

    /** Case-insensitive, served by the unique index on lower(username). */
    public Uni<User> findByUsername(String username) {
        return Outages.guard("postgresql", find("lower(username) = lower(?1)", username).firstResult());
    }

    /** Users holding {@code role}. */
    public Uni<Long> countWithRole(String role) {
        return Outages.guard("postgresql", getSession().flatMap(s -> s
                .createNativeQuery("select count(*) from {h-schema}users where cast(?1 as text) = any(roles)", Long.class)
                .setParameter(1, role).getSingleResult()));
    }

    /** Serialises bootstrap across replicas for the rest of the current transaction. */
    public Uni<Void> lockForBootstrap() {
        return Outages.guard("postgresql", getSession().flatMap(s -> s
                .createNativeQuery("select pg_advisory_xact_lock(7261001)").getSingleResult())).replaceWithVoid();
    }

    public Uni<User> byId(UUID id) {
        return Outages.guard("postgresql", findById(id));
    }
}
