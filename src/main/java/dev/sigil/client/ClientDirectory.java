package dev.sigil.client;

import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.ClientId;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** The transactions over clients. Inputs arrive validated; answers are views or snapshots, never the entity. Null: no such client. */
@ApplicationScoped
public class ClientDirectory {

    /** What may change in an update; a null field stays as it is. */
    public record Changes(List<String> scopes, List<String> defaultScopes, List<String> audience, List<String> introspectionAudiences,
                   Long tokenLifetime, Boolean enabled, ExchangePolicy tokenExchange) {
    }

    private final ClientRepository clients;

    public ClientDirectory(ClientRepository clients) {
        this.clients = clients;
    }

    /** Inserts a client; 409 {@code conflict} when the id is taken. */
    @WithTransaction
    Uni<ClientView> insert(Client c) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        c.createdAt = now;
        c.updatedAt = now;
        return clients.byId(new ClientId(c.id)).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(taken());
            }
            return clients.add(c).map(ClientView::of);
        }).onFailure(ClientDirectory::duplicateKey).transform(e -> taken());
    }

    /** What client authentication needs of the client; read on a miss of {@link ClientCache} only. */
    @WithSession
    public Uni<RegisteredClient> registered(ClientId id) {
        return clients.byId(id).map(c -> c == null ? null : RegisteredClient.of(c));
    }

    @WithSession
    Uni<ClientView> get(ClientId id) {
        return clients.byId(id).map(c -> c == null ? null : ClientView.of(c));
    }

    @WithSession
    Uni<ClientView.Page> page(int page, int size) {
        return clients.total().flatMap(total -> clients.page(page, size)
                .map(list -> new ClientView.Page(list.stream().map(ClientView::of).toList(), page, size, total)));
    }

    @WithTransaction
    Uni<ClientView> update(ClientId id, Changes changes) {
        return clients.byId(id).map(c -> {
            if (c == null) {
                return null;
            }
            List<String> scopes = changes.scopes() != null ? changes.scopes() : List.of(c.scopes);
            List<String> defaults = changes.defaultScopes() != null ? changes.defaultScopes() : List.of(c.defaultScopes);
            ClientRules.defaultsWithin(defaults, scopes);
            c.scopes = scopes.toArray(String[]::new);
            c.defaultScopes = defaults.toArray(String[]::new);
            if (changes.audience() != null) {
                c.audience = changes.audience().toArray(String[]::new);
            }
            if (changes.introspectionAudiences() != null) {
                c.introspectionAudiences = changes.introspectionAudiences().toArray(String[]::new);
            }
            if (changes.tokenLifetime() != null) {
                c.tokenLifetimeSeconds = changes.tokenLifetime().intValue();
            }
            if (changes.enabled() != null) {
                c.enabled = changes.enabled();
            }
            if (changes.tokenExchange() != null) {
                c.exchangeSubjects = changes.tokenExchange().subjects().toArray(String[]::new);
                c.exchangeScopes = changes.tokenExchange().scopes().toArray(String[]::new);
            }
            c.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
            return ClientView.of(c);
        });
    }

    /**
     * Installs a new secret digest; the old one stays valid until {@code previousValidUntil}. 409 {@code conflict}
     * for a client that authenticates with private_key_jwt: one client, one method (RFC 7591), and a rotation
     * must not quietly turn a key client back into a secret one.
     */
    @WithTransaction
    Uni<ClientView> rotateSecret(ClientId id, String digest, Instant previousValidUntil) {
        return clients.byId(id).map(c -> {
            if (c == null) {
                return null;
            }
            if (c.jwks != null || c.jwksUri != null) {
                throw new SigilException(ErrorCode.CONFLICT, "This client authenticates with private_key_jwt and has no secret to rotate");
            }
            c.previousSecretDigest = c.secretDigest;
            c.previousSecretValidUntil = c.secretDigest == null ? null : previousValidUntil.atOffset(ZoneOffset.UTC);
            c.secretDigest = digest;
            c.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
            return ClientView.of(c);
        });
    }

    /**
     * Registers or replaces the client's public keys: an inline JWK set or a JWKS URL (the other is cleared).
     * One client, one authentication method (RFC 7591): the client's secret, and a previous one still in its
     * rotation overlap, stop working in the same transaction.
     */
    @WithTransaction
    Uni<ClientView> setKeys(ClientId id, String jwks, String jwksUri) {
        return clients.byId(id).map(c -> {
            if (c == null) {
                return null;
            }
            c.jwks = jwks;
            c.jwksUri = jwksUri;
            c.secretDigest = null;
            c.previousSecretDigest = null;
            c.previousSecretValidUntil = null;
            c.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
            return ClientView.of(c);
        });
    }

    @WithTransaction
    Uni<Boolean> delete(ClientId id) {
        return clients.remove(id);
    }

    private static SigilException taken() {
        return new SigilException(ErrorCode.CONFLICT, "This client_id is already taken");
    }

    private static boolean duplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException
                    || (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState()))) {
                return true;
            }
        }
        return false;
    }
}
