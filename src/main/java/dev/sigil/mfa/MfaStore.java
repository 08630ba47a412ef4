package dev.sigil.mfa;

import dev.sigil.error.Outages;
import dev.sigil.id.UserId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * The mfa_totp table, as prepared statements on the reactive pool (no entity: nothing else reads it).
 * Every change is one conditional statement, so concurrent requests cannot both win. What is at rest is
 * sealed here ({@link SecretCipher}): callers hand in and get back plain secrets and recovery codes.
 */
@ApplicationScoped
public class MfaStore {

    /** A user's TOTP credential; {@code confirmed} false while the enrolment is in progress. */
    public record Stored(String secretEncrypted, boolean confirmed) {
        @Override
        public String toString() {
            return "Stored[confirmed=" + confirmed + "]";
        }
    }

    private final Pool pool;
    private final String table;
    private final SecretCipher cipher;

    public MfaStore(Pool pool, @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema,
                    SecretCipher cipher) {
        this.pool = pool;
        this.cipher = cipher;
        this.table = schema + ".mfa_totp"; // from configuration, never from a request
    }

    /** The user's credential, or null. */
    public Uni<Stored> find(UserId user) {
        return query("select secret_encrypted, confirmed_at is not null as confirmed from " + table + " where user_id = $1",
                Tuple.of(user.value())).map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row r = it.next();
                    return new Stored(r.getString("secret_encrypted"), r.getBoolean("confirmed"));
                });
    }

    /** The plain TOTP secret of {@code stored}; null when it was sealed under another encryption key. */
    public byte[] secret(UserId user, Stored stored) {
        return cipher.decrypt(user.value(), stored.secretEncrypted());
    }

    /** Starts (or restarts) an enrolment with {@code secret}; false when the user already has a confirmed credential. */
    public Uni<Boolean> begin(UserId user, byte[] secret) {
        String secretEncrypted = cipher.encrypt(user.value(), secret);
        return query("insert into " + table + " (user_id, secret_encrypted, created_at) values ($1, $2, now()) "
                        + "on conflict (user_id) do update set secret_encrypted = excluded.secret_encrypted, created_at = now(), "
                        + "recovery_digests = '{}' where " + table + ".confirmed_at is null",
                Tuple.of(user.value(), secretEncrypted)).map(rows -> rows.rowCount() == 1);
    }

    /**
     * Confirms the enrolment of exactly this secret (not one a concurrent restart replaced), with the digests of
     * {@code recoveryCodes} (normalised); false otherwise.
     */
    public Uni<Boolean> confirm(UserId user, Stored enrolment, List<String> recoveryCodes) {
        String secretEncrypted = enrolment.secretEncrypted();
        List<String> recoveryDigests = recoveryCodes.stream().map(c -> cipher.recoveryDigest(user.value(), c)).toList();
        return query("update " + table + " set confirmed_at = now(), recovery_digests = $3 "
                        + "where user_id = $1 and secret_encrypted = $2 and confirmed_at is null",
                Tuple.of(user.value(), secretEncrypted, recoveryDigests.toArray(String[]::new))).map(rows -> rows.rowCount() == 1);
    }

    /** Uses a recovery code (normalised): removes its digest, in one statement; false when it is not (or no longer) there. */
    public Uni<Boolean> useRecoveryCode(UserId user, String code) {
        String digest = cipher.recoveryDigest(user.value(), code);
        return query("update " + table + " set recovery_digests = array_remove(recovery_digests, $2) "
                        + "where user_id = $1 and confirmed_at is not null and $2 = any(recovery_digests)",
                Tuple.of(user.value(), digest)).map(rows -> rows.rowCount() == 1);
    }

    /** Removes the credential (confirmed or not); false when there was none. */
    public Uni<Boolean> delete(UserId user) {
        return query("delete from " + table + " where user_id = $1", Tuple.of(user.value())).map(rows -> rows.rowCount() == 1);
    }

    private Uni<io.vertx.mutiny.sqlclient.RowSet<Row>> query(String sql, Tuple args) {
        return Outages.postgresql(pool.preparedQuery(sql).execute(args));
    }
}
