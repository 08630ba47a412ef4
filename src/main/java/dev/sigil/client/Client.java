package dev.sigil.client;

import dev.sigil.user.RedactedString;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JavaType;

import java.time.OffsetDateTime;

/** An OAuth client as stored (V3__clients.sql, V5__client_audience.sql, V8__token_exchange.sql). Holds secret digests, so it never leaves this package. */
@Entity
@Table(name = "clients")
public class Client {

    @Id
    public String id;

    @Column(name = "secret_digest", length = 64)
    @JavaType(RedactedString.class)
    public String secretDigest;

    @Column(name = "previous_secret_digest", length = 64)
    @JavaType(RedactedString.class)
    public String previousSecretDigest;

    @Column(name = "previous_secret_valid_until")
    public OffsetDateTime previousSecretValidUntil;

    @Column(nullable = false, columnDefinition = "_text") // text[] (see application.properties)
    public String[] scopes = new String[0];

    @Column(name = "default_scopes", nullable = false, columnDefinition = "_text")
    public String[] defaultScopes = new String[0];

    @Column(nullable = false, columnDefinition = "_text")
    public String[] audience = new String[0];

    @Column(name = "introspection_audiences", nullable = false, columnDefinition = "_text")
    public String[] introspectionAudiences = new String[0];

    @Column(name = "exchange_subjects", nullable = false, columnDefinition = "_text")
    public String[] exchangeSubjects = new String[0];

    @Column(name = "exchange_scopes", nullable = false, columnDefinition = "_text")
    public String[] exchangeScopes = new String[0];

    @Column(name = "token_lifetime_seconds", nullable = false)
    public int tokenLifetimeSeconds;

    @Column(nullable = false)
    public boolean enabled = true;

    @Column(columnDefinition = "text")
    public String jwks;

    @Column(name = "jwks_uri", length = 2048)
    public String jwksUri;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Override
    public String toString() {
        return "Client[id=" + id + "]"; // never the digests
    }
}
