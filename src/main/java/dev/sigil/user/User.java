package dev.sigil.user;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JavaType;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A user as stored. Holds the password hash, so it never leaves the service layer: resources answer
 * with records made for the API.
 */
@Entity
@Table(name = "users")
public class User {

    @Id
    public UUID id;

    @Column(nullable = false, length = 64)
    public String username;

    @Column(length = 254)
    public String email;

    /** True only when an admin (or the bootstrap configuration) set or confirmed {@link #email}. */
    @Column(name = "email_verified", nullable = false)
    public boolean emailVerified;

    @Column(name = "password_hash", nullable = false)
    @JavaType(RedactedString.class)
    public String passwordHash;

    @Column(nullable = false, columnDefinition = "_text") // text[] (see application.properties)
    public String[] roles = new String[0];

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "custom_claims", nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> customClaims = new LinkedHashMap<>();

    @Column(nullable = false)
    public boolean enabled = true;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Column(name = "password_changed_at", nullable = false)
    public OffsetDateTime passwordChangedAt;

    @Override
    public String toString() {
        return "User[id=" + id + "]"; // never the hash
    }
}
