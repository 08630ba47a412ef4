package dev.sigil.client;

import dev.sigil.error.Outages;
import dev.sigil.id.ClientId;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Clients in PostgreSQL, by typed id only. Every failure to reach the database surfaces as a 503 outage. */
@ApplicationScoped
@WithSession
public class ClientRepository implements PanacheRepositoryBase<Client, String> {

    public Uni<Client> byId(ClientId id) {
        return Outages.postgresql(findById(id.value()));
    }

    public Uni<List<Client>> page(int page, int size) {
        return Outages.postgresql(findAll(Sort.by("id")).page(Page.of(page, size)).list());
    }

    public Uni<Long> total() {
        return Outages.postgresql(count());
    }

    public Uni<Client> add(Client client) {
        return Outages.postgresql(persistAndFlush(client));
    }

    public Uni<Boolean> remove(ClientId id) {
        return Outages.postgresql(deleteById(id.value()));
    }
}
