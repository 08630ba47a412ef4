package dev.sigil.mail;

import dev.sigil.error.Outages;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The mail_outbox table (V6__email_recovery.sql). Callers enqueue on the connection of their own transaction,
 * so a mail exists exactly when the change it reports committed; the relay claims, and then deletes, retries
 * or parks each row with one statement each.
 */
@ApplicationScoped
public class Outbox {

    /** A claimed message: what the relay needs to render and send it. */
    public record Claimed(long id, String messageId, String recipient, String template, JsonObject params, int attempts) {
        @Override
        public String toString() {
            return "Claimed[id=" + id + ", template=" + template + "]"; // params hold a token
        }
    }

    /** Pending messages and the age of the oldest, in seconds (0 when none). */
    public record Depth(long pending, long oldestSeconds, long failed) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;
    private final String table;

    public Outbox(Pool pool, @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        this.pool = pool;
        this.table = schema + ".mail_outbox"; // from configuration, never from a request
    }

    /**
     * Writes a message on {@code tx}, the connection of the caller's transaction. Its Message-ID is fixed here,
     * so a message sent again after a lost acknowledgement carries the same one (receivers can de-duplicate).
     */
    public Uni<Void> enqueue(SqlClient tx, String recipient, MailTemplate template, Map<String, Object> params, String domain) {
        return enqueue(tx, recipient, template, params, domain, true);
    }

    /**
     * As above; with {@code write} false the same statement runs and inserts nothing: the stand-in work of a
     * request whose answer must not tell whether a mail was written (a password reset for an unknown address).
     */
    public Uni<Void> enqueue(SqlClient tx, String recipient, MailTemplate template, Map<String, Object> params, String domain,
                             boolean write) {
        String messageId = "<" + HexFormat.of().formatHex(randomBytes()) + "@" + domain + ">";
        return tx.preparedQuery("insert into " + table + " (message_id, recipient, template, params, next_attempt_at, created_at) "
                        + "select $1, $2, $3, $4, now(), now() where $5")
                .execute(Tuple.of(messageId, recipient, template.file, new JsonObject(params), write))
                .replaceWithVoid();
    }

    /**
     * Claims up to {@code limit} due messages for {@code lease}: one statement, so the claim commits before any
     * send; SKIP LOCKED lets replicas claim side by side without waiting on, or taking, each other's rows, and
     * the lease keeps a claimed row from being due again while it is sent.
     */
    public Uni<List<Claimed>> claim(int limit, Duration lease) {
        return Outages.postgresql(pool.preparedQuery("update " + table + " set attempts = attempts + 1, "
                        + "next_attempt_at = now() + make_interval(secs => $2) where id in (select id from " + table
                        + " where state = 'pending' and next_attempt_at <= now() order by next_attempt_at limit $1 "
                        + "for update skip locked) returning id, message_id, recipient, template, params, attempts")
                .execute(Tuple.of(limit, lease.toMillis() / 1000.0)).map(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (Row r : rows) {
                        claimed.add(new Claimed(r.getLong("id"), r.getString("message_id"), r.getString("recipient"),
                                r.getString("template"), (JsonObject) r.getValue("params"), r.getInteger("attempts")));
                    }
                    return claimed;
                }));
    }

    /** The message was handed to SMTP: the row (and the token in its link) goes. */
    public Uni<Void> sent(long id) {
        return Outages.postgresql(pool.preparedQuery("delete from " + table + " where id = $1").execute(Tuple.of(id))).replaceWithVoid();
    }

    /** A failed attempt: due again after {@code delay}. */
    public Uni<Void> retryLater(long id, Duration delay, String error) {
        return Outages.postgresql(pool.preparedQuery("update " + table + " set next_attempt_at = now() + make_interval(secs => $2), "
                + "last_error = $3 where id = $1").execute(Tuple.of(id, delay.toMillis() / 1000.0, truncate(error)))).replaceWithVoid();
    }

    /** Gives up on a message: kept as failed, for the operator, without its parameters (the link and its token). */
    public Uni<Void> park(long id, String error) {
        return Outages.postgresql(pool.preparedQuery("update " + table + " set state = 'failed', params = null, last_error = $2 "
                + "where id = $1").execute(Tuple.of(id, truncate(error)))).replaceWithVoid();
    }

    /** For the gauges. */
    public Uni<Depth> depth() {
        return Outages.postgresql(pool.query("select count(*) filter (where state = 'pending') as pending, "
                + "coalesce(extract(epoch from now() - min(created_at) filter (where state = 'pending')), 0)::bigint as oldest, "
                + "count(*) filter (where state = 'failed') as failed from " + table).execute()
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Depth(r.getLong("pending"), r.getLong("oldest"), r.getLong("failed"));
                }));
    }

    private static String truncate(String error) {
        String e = error == null ? "unknown" : error;
        return e.length() > 500 ? e.substring(0, 500) : e;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }
}
