package dev.sigil.passkey;

import dev.sigil.error.Outages;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The passkeys table, as prepared statements on the reactive pool (like MfaStore). Every change is one
 * conditional statement: the per-user cap, the counter's advance and each rename or removal cannot be raced.
 */
@ApplicationScoped
public class PasskeyStore {

    /** Passkeys one user may hold: bounds what one account can store, far above any real need. */
    static final int MAX_PER_USER = 20;

    private static final String COLUMNS = "id, user_id, credential_id, public_key, aaguid, sign_count, transports, backup_eligible, "
            + "backup_state, uv_initialized, name, created_at, last_used_at";

    private final Pool pool;
    private final String table;

    public PasskeyStore(Pool pool, @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        this.pool = pool;
        this.table = schema + ".passkeys"; // from configuration, never from a request
    }

    /** The user's passkeys, oldest first. */
    public Uni<List<StoredPasskey>> list(UUID user) {
        return query("select " + COLUMNS + " from " + table + " where user_id = $1 order by created_at, id", Tuple.of(user))
                .map(PasskeyStore::rows);
    }

    /** The passkey of an authenticator's credential id, or null. */
    public Uni<StoredPasskey> byCredentialId(byte[] credentialId) {
        return query("select " + COLUMNS + " from " + table + " where credential_id = $1", Tuple.of(io.vertx.core.buffer.Buffer.buffer(credentialId)))
                .map(rows -> {
                    List<StoredPasskey> all = rows(rows);
                    return all.isEmpty() ? null : all.get(0);
                });
    }

    /** Whether the user has a passkey. */
    public Uni<Boolean> any(UUID user) {
        return query("select 1 from " + table + " where user_id = $1 limit 1", Tuple.of(user)).map(rows -> rows.size() > 0);
    }

    public enum Added { ADDED, TAKEN, FULL }

    /** Stores a verified credential unless its id is registered already or the user is at the cap. */
    public Uni<Added> add(StoredPasskey p) {
        Tuple t = Tuple.tuple(List.of(p.id(), p.user(), io.vertx.core.buffer.Buffer.buffer(p.credentialId()), io.vertx.core.buffer.Buffer.buffer(p.publicKey()), p.aaguid(),
                p.signCount(), p.transports().toArray(String[]::new), p.backupEligible(), p.backupState(), p.uvInitialized(), p.name(),
                OffsetDateTime.ofInstant(p.createdAt(), ZoneOffset.UTC)));
        return query("insert into " + table + " (id, user_id, credential_id, public_key, aaguid, sign_count, transports, backup_eligible, "
                + "backup_state, uv_initialized, name, created_at) select $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 "
                + "where (select count(*) from " + table + " where user_id = $2) < " + MAX_PER_USER
                + " on conflict (credential_id) do nothing", t)
                .flatMap(rows -> rows.rowCount() == 1 ? Uni.createFrom().item(Added.ADDED)
                        : byCredentialId(p.credentialId()).map(existing -> existing != null ? Added.TAKEN : Added.FULL));
    }

    /**
     * Records a verified use: the new counter (only if it still advances what this statement sees, so two
     * assertions with the same counter cannot both pass), the flags and the time. False when it lost.
     */
    public Uni<Boolean> used(StoredPasskey p, long signCount, boolean backupEligible, boolean backupState, boolean userVerified) {
        return query("update " + table + " set sign_count = $2, backup_eligible = $3, backup_state = $4, "
                        + "uv_initialized = uv_initialized or $5, last_used_at = now() "
                        + "where id = $1 and (sign_count < $2 or ($2 = 0 and sign_count = 0))",
                Tuple.of(p.id(), signCount, backupEligible, backupState, userVerified)).map(rows -> rows.rowCount() == 1);
    }

    /** Renames one of the user's passkeys; false when the user has no such passkey. */
    public Uni<Boolean> rename(UUID user, UUID id, String name) {
        return query("update " + table + " set name = $3 where user_id = $1 and id = $2", Tuple.of(user, id, name))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Deletes one of the user's passkeys; false when the user has no such passkey. */
    public Uni<Boolean> delete(UUID user, UUID id) {
        return query("delete from " + table + " where user_id = $1 and id = $2", Tuple.of(user, id)).map(rows -> rows.rowCount() == 1);
    }

    /** Deletes every passkey of the user; how many there were. */
    public Uni<Integer> deleteAll(UUID user) {
        return query("delete from " + table + " where user_id = $1", Tuple.of(user)).map(RowSet::rowCount);
    }

    private static List<StoredPasskey> rows(RowSet<Row> rows) {
        List<StoredPasskey> list = new ArrayList<>();
        for (Row r : rows) {
            OffsetDateTime last = r.getOffsetDateTime("last_used_at");
            list.add(new StoredPasskey(r.getUUID("id"), r.getUUID("user_id"), r.getBuffer("credential_id").getBytes(),
                    r.getBuffer("public_key").getBytes(), r.getUUID("aaguid"), r.getLong("sign_count"),
                    Arrays.asList(r.getArrayOfStrings("transports")), r.getBoolean("backup_eligible"), r.getBoolean("backup_state"),
                    r.getBoolean("uv_initialized"), r.getString("name"), r.getOffsetDateTime("created_at").toInstant(),
                    last == null ? null : last.toInstant()));
        }
        return list;
    }

    private Uni<RowSet<Row>> query(String sql, Tuple args) {
        return Outages.postgresql(pool.preparedQuery(sql).execute(args));
    }
}
