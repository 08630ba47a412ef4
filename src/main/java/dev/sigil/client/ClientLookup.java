package dev.sigil.client;

import dev.sigil.error.Outages;
import dev.sigil.id.ClientId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The one read on every grant: a client by id, as one prepared statement on the reactive pool. Hibernate
 * Reactive's session costs more CPU than the query itself, and a grant should cost little more than its
 * signature; everything else about clients goes through {@link ClientRepository}.
 */
@ApplicationScoped
public class ClientLookup {

    private final Pool pool;
    private final String sql;

    public ClientLookup(Pool pool, @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        this.pool = pool;
        // The schema comes from configuration, never from a request.
        this.sql = "select id, secret_digest, previous_secret_digest, previous_secret_valid_until, scopes, default_scopes, audience, "
                + "introspection_audiences, token_lifetime_seconds, enabled, jwks, jwks_uri from " + schema + ".clients where id = $1";
    }

    /** The client, or null when there is none. */
    public Uni<RegisteredClient> byId(ClientId id) {
        return Outages.postgresql(pool.preparedQuery(sql).execute(Tuple.of(id.value())).map(rows -> {
            RowIterator<Row> it = rows.iterator();
            return it.hasNext() ? of(it.next()) : null;
        }));
    }

    private static RegisteredClient of(Row r) {
        OffsetDateTime previousUntil = r.getOffsetDateTime("previous_secret_valid_until");
        return new RegisteredClient(new ClientId(r.getString("id")), r.getString("secret_digest"), r.getString("previous_secret_digest"),
                previousUntil == null ? null : previousUntil.toInstant(), strings(r, "scopes"), strings(r, "default_scopes"),
                strings(r, "audience"), strings(r, "introspection_audiences"), r.getInteger("token_lifetime_seconds"), r.getBoolean("enabled"), r.getString("jwks"),
                r.getString("jwks_uri"));
    }

    private static List<String> strings(Row r, String column) {
        String[] values = r.getArrayOfStrings(column);
        return values == null ? List.of() : List.of(values);
    }
}
