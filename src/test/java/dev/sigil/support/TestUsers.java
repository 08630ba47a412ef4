package dev.sigil.support;

import dev.sigil.password.Argon2id;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates users straight in the test database (real PostgreSQL), with unique names so tests never
 * collide. Hashes are computed once per password and reused, because Argon2id is deliberately slow.
 */
public final class TestUsers {

    /** The test instance's own database (overridable per run with -Dquarkus.datasource.jdbc.url). */
    public static String jdbc() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
    }
    private static final Argon2id ARGON2 = new Argon2id(19456, 2, 1);
    private static final ConcurrentHashMap<String, String> HASHES = new ConcurrentHashMap<>();

    public record TestUser(UUID id, String username, String password) {
    }

    private TestUsers() {
    }

    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    public static TestUser create(String... roles) {
        return create(uniqueName("user"), "correct horse battery", null, true, "{}", roles);
    }

    public static TestUser create(String username, String password, String email, boolean enabled, String claimsJson, String... roles) {
        UUID id = UUID.randomUUID();
        String hash = HASHES.computeIfAbsent(password, ARGON2::hash);
        String rolesArray = "{" + String.join(",", roles) + "}";
        update("insert into sigil.users (id, username, email, password_hash, roles, custom_claims, enabled, created_at, updated_at, password_changed_at) "
                + "values (?, ?, ?, ?, ?::text[], ?::jsonb, ?, now(), now(), now())", ps -> {
            set(ps, 1, id);
            set(ps, 2, username);
            set(ps, 3, email);
            set(ps, 4, hash);
            set(ps, 5, rolesArray);
            set(ps, 6, claimsJson);
            set(ps, 7, enabled);
        });
        return new TestUser(id, username, password);
    }

    public static void setEnabled(UUID id, boolean enabled) {
        update("update sigil.users set enabled = ? where id = ?", ps -> {
            set(ps, 1, enabled);
            set(ps, 2, id);
        });
    }

    public static void setRoles(UUID id, String... roles) {
        update("update sigil.users set roles = ?::text[] where id = ?", ps -> {
            set(ps, 1, "{" + String.join(",", roles) + "}");
            set(ps, 2, id);
        });
    }

    public static void setPasswordHash(UUID id, String hash) {
        update("update sigil.users set password_hash = ? where id = ?", ps -> {
            set(ps, 1, hash);
            set(ps, 2, id);
        });
    }

    public static void delete(UUID id) {
        update("delete from sigil.users where id = ?", ps -> set(ps, 1, id));
    }

    public static String passwordHash(UUID id) {
        return queryString("select password_hash from sigil.users where id = ?", id);
    }

    public static long count(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(jdbc(), "postgres", "");
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String queryString(String sql, Object param) {
        try (Connection c = DriverManager.getConnection(jdbc(), "postgres", "");
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static void update(String sql, Binder binder) {
        try (Connection c = DriverManager.getConnection(jdbc(), "postgres", "");
             PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void set(PreparedStatement ps, int i, Object v) throws SQLException {
        ps.setObject(i, v);
    }
}
