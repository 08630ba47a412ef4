package dev.sigil.recovery;

import dev.sigil.error.Outages;
import dev.sigil.id.UserId;
import dev.sigil.user.UserVersions;
import dev.sigil.mail.MailTemplate;
import dev.sigil.mail.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The email_tokens table and the user columns the flows change, as prepared statements on the reactive pool
 * (like MfaStore). A token and the mails that carry it are written in one transaction with the outbox rows;
 * a token is used by deleting it in the transaction that makes its change, so it works once however many
 * requests present it at the same time.
 */
@ApplicationScoped
public class RecoveryStore {

    /** Accounts one address may reach by POST /password-reset at most (emails are not unique). */
    static final int MAX_ACCOUNTS_PER_ADDRESS = 10;

    /** An enabled user a mail may go to. */
    record Account(UUID id, String username, String email) {
        @Override
        public String toString() {
            return "Account[id=" + id + "]"; // never the address
        }
    }

    /** A mail to write with a token. */
    record Outgoing(String recipient, MailTemplate template, Map<String, Object> params) {
        @Override
        public String toString() {
            return "Outgoing[" + template + "]";
        }
    }

    /**
     * A stored token with its user as now: {@code live} when it has not expired and the user's password did not
     * change since it was issued; {@code userVersion} the user's version (uv) when it was issued.
     */
    record Found(UUID user, String username, String passwordHash, String email, boolean live, long userVersion) {
        @Override
        public String toString() {
            return "Found[user=" + user + ", live=" + live + "]";
        }
    }

    private final Pool pool;
    private final Outbox outbox;
    private final UserVersions versions;
    private final String tokens;
    private final String users;

    public RecoveryStore(Pool pool, Outbox outbox, UserVersions versions, @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        this.pool = pool;
        this.outbox = outbox;
        this.versions = versions;
        this.tokens = schema + ".email_tokens"; // from configuration, never from a request
        this.users = schema + ".users";
    }

    /** Enabled users with this address (compared ignoring case), at most {@link #MAX_ACCOUNTS_PER_ADDRESS}. */
    Uni<List<Account>> enabledByEmail(String email) {
        return Outages.postgresql(pool.preparedQuery("select id, username, email from " + users
                        + " where lower(email) = lower($1) and enabled order by id limit " + MAX_ACCOUNTS_PER_ADDRESS)
                .execute(Tuple.of(email)).map(rows -> {
                    List<Account> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(account(r));
                    }
                    return out;
                }));
    }

    /** The user if enabled, else null. */
    Uni<Account> enabledById(UUID id) {
        return Outages.postgresql(pool.preparedQuery("select id, username, email from " + users + " where id = $1 and enabled")
                .execute(Tuple.of(id)).map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    return it.hasNext() ? account(it.next()) : null;
                }));
    }

    /**
     * Stores {@code tokenHash} as the user's one token of {@code purpose} (a newer one replaces it) and writes
     * {@code mails}, in one transaction. {@code email} is the address a verification token confirms. False, and
     * nothing written, when the user is gone or disabled.
     */
    Uni<Boolean> issue(String tokenHash, UUID user, Purpose purpose, String email, long userVersion, Duration lifetime,
                       List<Outgoing> mails, String messageIdDomain) {
        return Outages.postgresql(pool.withTransaction(tx -> tx.preparedQuery("insert into " + tokens
                        + " (token_hash, user_id, purpose, email, password_changed_at, user_version, expires_at) "
                        + "select $1, id, $3, $4, password_changed_at, $5, now() + make_interval(secs => $6) from " + users
                        + " where id = $2 and enabled on conflict (user_id, purpose) do update set token_hash = excluded.token_hash, "
                        + "email = excluded.email, password_changed_at = excluded.password_changed_at, "
                        + "user_version = excluded.user_version, expires_at = excluded.expires_at")
                .execute(Tuple.of(tokenHash, user, purpose.stored, email, userVersion, lifetime.toMillis() / 1000.0))
                // No such user (the stand-in of an unknown address, or a user gone meanwhile): the same statements, no rows.
                .flatMap(rows -> enqueueAll(tx, mails, messageIdDomain, rows.rowCount() == 1).replaceWith(rows.rowCount() == 1))));
    }

    private Uni<Void> enqueueAll(SqlClient tx, List<Outgoing> mails, String domain, boolean write) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Outgoing m : mails) {
            chain = chain.chain(() -> outbox.enqueue(tx, m.recipient(), m.template(), m.params(), domain, write));
        }
        return chain;
    }

    /** The token of {@code tokenHash} for {@code purpose} with its user, or null when there is none (or no user). */
    Uni<Found> find(String tokenHash, Purpose purpose) {
        return Outages.postgresql(pool.preparedQuery("select u.id, u.username, u.password_hash, t.email, t.user_version, "
                        + "(t.expires_at > now() and t.password_changed_at = u.password_changed_at and u.enabled) as live from "
                        + tokens + " t join " + users + " u on u.id = t.user_id where t.token_hash = $1 and t.purpose = $2")
                .execute(Tuple.of(tokenHash, purpose.stored)).map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row r = it.next();
                    return new Found(r.getUUID("id"), r.getString("username"), r.getString("password_hash"), r.getString("email"),
                            r.getBoolean("live"), r.getLong("user_version"));
                }));
    }

    /**
     * The token's user when the token is live and the user's version (uv, in Redis) has not moved since it was
     * issued: any change an admin makes to the user ends the user's mailed tokens. Null otherwise.
     */
    Uni<Found> findLive(String tokenHash, Purpose purpose) {
        return find(tokenHash, purpose).flatMap(found -> found == null || !found.live() ? Uni.createFrom().nullItem()
                : versions.current(UserId.of(found.user())).map(uv -> uv == found.userVersion() ? found : null));
    }

    /** The user's version (uv) now, to store with a token. */
    Uni<Long> version(UUID user) {
        return versions.current(UserId.of(user));
    }

    /**
     * Uses a reset token: deletes it and sets the new password hash, in one transaction, only if the token is
     * still there and live and the stored hash is still {@code expectedHash}. False when another request used
     * the token first, or the password changed meanwhile (nothing is changed then).
     */
    Uni<Boolean> resetPassword(String tokenHash, UUID user, String newHash, String expectedHash) {
        return Outages.postgresql(pool.withTransaction(tx -> useToken(tx, tokenHash, Purpose.RESET, user)
                .flatMap(used -> !used ? Uni.createFrom().item(false) : tx.preparedQuery("update " + users
                                + " set password_hash = $2, password_changed_at = now(), updated_at = now() "
                                + "where id = $1 and password_hash = $3 and enabled")
                        .execute(Tuple.of(user, newHash, expectedHash))
                        .flatMap(rows -> rows.rowCount() == 1 ? Uni.createFrom().item(true) : rollback()))));
    }

    /**
     * Uses a verification token: deletes it and makes its address the user's verified one; a pending reset token
     * (mailed to the old address) ends with it. False when the token was used first, has expired, or the user's
     * password changed since it was issued.
     */
    Uni<Boolean> verifyEmail(String tokenHash, UUID user, String email) {
        return Outages.postgresql(pool.withTransaction(tx -> useToken(tx, tokenHash, Purpose.VERIFY, user)
                .flatMap(used -> !used ? Uni.createFrom().item(false) : tx.preparedQuery("update " + users
                                + " set email = $2, email_verified = true, updated_at = now() where id = $1 and enabled")
                        .execute(Tuple.of(user, email))
                        .flatMap(rows -> rows.rowCount() == 1
                                ? tx.preparedQuery("delete from " + tokens + " where user_id = $1 and purpose = 'reset'")
                                        .execute(Tuple.of(user)).replaceWith(true)
                                : rollback()))));
    }

    /** Deletes the token if it is still live; true for the one transaction that did. */
    private Uni<Boolean> useToken(SqlClient tx, String tokenHash, Purpose purpose, UUID user) {
        return tx.preparedQuery("delete from " + tokens + " t using " + users + " u where t.token_hash = $1 and t.purpose = $2 "
                        + "and t.user_id = $3 and u.id = t.user_id and t.expires_at > now() "
                        + "and t.password_changed_at = u.password_changed_at")
                .execute(Tuple.of(tokenHash, purpose.stored, user)).map(rows -> rows.rowCount() == 1);
    }

    /** Fails the transaction so that the token's deletion is undone too. */
    private static Uni<Boolean> rollback() {
        return Uni.createFrom().failure(new Stale());
    }

    /** The change could not be made after the token was taken: rolled back, answered as an unusable token. */
    static final class Stale extends RuntimeException {
        Stale() {
            super("the user changed while the token was used", null, false, false);
        }
    }

    private static Account account(Row r) {
        return new Account(r.getUUID("id"), r.getString("username"), r.getString("email"));
    }
}
