package dev.sigil.client;

import dev.sigil.audit.Audit;
import dev.sigil.config.SigilConfig;
import dev.sigil.error.SigilException;
import dev.sigil.id.ClientId;
import dev.sigil.user.UserRules;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The rules of the client admin API: validated input, a secret shown once, and every client that is
 * disabled or deleted loses its live tokens at once (a not-before in Redis, written after the change
 * commits so that no grant can slip in between). Every change of a client's record moves its version in
 * Redis, so no replica authenticates the client with a cached record from before the change once the call
 * has returned. Absence is null; the resource answers 404.
 */
@ApplicationScoped
public class ClientAdminService {

    /** A new client as the admin describes it. */
    public record NewClient(String clientId, List<String> scopes, List<String> defaultScopes, List<String> audience,
                            List<String> introspectionAudiences, Long tokenLifetime, Boolean enabled, Map<String, Object> jwks, String jwksUri,
                            ExchangePolicy tokenExchange) {
    }

    private final ClientDirectory directory;
    private final ClientTokenStore tokens;
    private final ClientCache cache;
    private final Audit audit;
    private final Duration maxLifetime;
    private final Duration defaultLifetime;
    private final Duration defaultOverlap;
    private final boolean allowHttpJwksUri;
    private final List<String> userAudience;

    public ClientAdminService(ClientDirectory directory, ClientTokenStore tokens, ClientCache cache, Audit audit, SigilConfig config) {
        this.directory = directory;
        this.tokens = tokens;
        this.cache = cache;
        this.audit = audit;
        this.maxLifetime = config.tokens().accessLifetime();
        this.defaultLifetime = min(config.clients().tokenLifetime(), maxLifetime);
        this.defaultOverlap = config.clients().secretOverlap();
        this.allowHttpJwksUri = config.clients().allowHttpJwksUri();
        this.userAudience = List.copyOf(config.audience());
    }

    /**
     * Creates a client. Without keys it gets a secret, returned once in {@code client_secret}; with a
     * JWK set or JWKS URL it authenticates with private_key_jwt and never shares a secret.
     */
    public Uni<ClientView> create(NewClient body, UUID actor) {
        return Uni.createFrom().deferred(() -> {
            Client c = new Client();
            c.id = ClientRules.id(body.clientId()).value();
            List<String> scopes = ClientRules.scopes("scopes", body.scopes());
            List<String> defaults = ClientRules.scopes("default_scopes", body.defaultScopes());
            ClientRules.defaultsWithin(defaults, scopes);
            c.scopes = scopes.toArray(String[]::new);
            c.defaultScopes = defaults.toArray(String[]::new);
            c.audience = ClientRules.audience(body.audience(), userAudience).toArray(String[]::new);
            c.introspectionAudiences = ClientRules.introspectionAudiences(body.introspectionAudiences()).toArray(String[]::new);
            c.tokenLifetimeSeconds = (int) ClientRules.lifetime(body.tokenLifetime() == null ? defaultLifetime.toSeconds()
                    : body.tokenLifetime(), maxLifetime);
            c.enabled = body.enabled() == null || body.enabled();
            ExchangePolicy exchange = ClientRules.exchange(body.tokenExchange());
            c.exchangeSubjects = exchange.subjects().toArray(String[]::new);
            c.exchangeScopes = exchange.scopes().toArray(String[]::new);
            if (body.jwks() != null && body.jwksUri() != null) {
                throw SigilException.validation("give either jwks or jwks_uri, not both");
            }
            c.jwks = body.jwks() == null ? null : ClientRules.jwks(body.jwks());
            c.jwksUri = body.jwksUri() == null ? null : ClientRules.jwksUri(body.jwksUri(), allowHttpJwksUri);
            String secret = c.jwks == null && c.jwksUri == null ? ClientSecret.generate() : null;
            c.secretDigest = secret == null ? null : ClientSecret.digest(secret);
            // Through changed(): the new client gets a version, so no replica's negative cache (ClientCache) applies to it.
            ClientId id = new ClientId(c.id);
            return changed(id, () -> directory.insert(c)).map(v -> {
                cache.forget(id);
                return secret == null ? v : v.withSecret(secret);
            });
        }).invoke(v -> audit.event("client_created", "ok").with("client_id", v.clientId()).with("by", actor).log());
    }

    public Uni<ClientView.Page> list(int page, int size) {
        return Uni.createFrom().deferred(() -> {
            UserRules.page(page, size); // the admin lists page alike: an offset past int is 400, not a failed query
            return directory.page(page, size);
        });
    }

    public Uni<ClientView> get(ClientId id) {
        return directory.get(id);
    }

    /** Applies the changes; disabling revokes every live token of the client. */
    public Uni<ClientView> update(ClientId id, ClientDirectory.Changes changes, UUID actor) {
        return Uni.createFrom().deferred(() -> {
            ClientDirectory.Changes valid = new ClientDirectory.Changes(
                    changes.scopes() == null ? null : ClientRules.scopes("scopes", changes.scopes()),
                    changes.defaultScopes() == null ? null : ClientRules.scopes("default_scopes", changes.defaultScopes()),
                    changes.audience() == null ? null : ClientRules.audience(changes.audience(), userAudience),
                    changes.introspectionAudiences() == null ? null : ClientRules.introspectionAudiences(changes.introspectionAudiences()),
                    changes.tokenLifetime() == null ? null : ClientRules.lifetime(changes.tokenLifetime(), maxLifetime),
                    changes.enabled(),
                    changes.tokenExchange() == null ? null : ClientRules.exchange(changes.tokenExchange()));
            return changed(id, () -> directory.update(id, valid));
        }).flatMap(view -> {
            if (view == null) {
                return Uni.createFrom().nullItem();
            }
            cache.forget(id);
            audit.event("client_updated", "ok").with("client_id", id).with("by", actor).log();
            return Boolean.FALSE.equals(changes.enabled()) ? revokeTokens(id, "client_disabled", actor).replaceWith(view)
                    : Uni.createFrom().item(view);
        });
    }

    /** A new secret, returned once; the previous one keeps working for {@code overlapSeconds} (default: configured). 409 for a key client. */
    public Uni<ClientView> rotateSecret(ClientId id, Long overlapSeconds, UUID actor) {
        return Uni.createFrom().deferred(() -> {
            Duration overlap = overlapSeconds == null ? defaultOverlap : ClientRules.overlap(overlapSeconds);
            String secret = ClientSecret.generate();
            return changed(id, () -> directory.rotateSecret(id, ClientSecret.digest(secret), Instant.now().plus(overlap)))
                    .map(v -> v == null ? null : v.withSecret(secret));
        }).invoke(v -> {
            if (v != null) {
                cache.forget(id);
                audit.event("client_secret_rotated", "ok").with("client_id", id).with("by", actor)
                        .with("previous_valid_until", v.previousSecretValidUntil()).log();
            }
        });
    }

    /** Registers or replaces the client's public keys (exactly one of a JWK set and a JWKS URL); retires any secret. */
    public Uni<ClientView> setKeys(ClientId id, Map<String, Object> jwks, String jwksUri, UUID actor) {
        return Uni.createFrom().deferred(() -> {
            if ((jwks == null) == (jwksUri == null)) {
                throw SigilException.validation("give exactly one of jwks and jwks_uri");
            }
            String validJwks = jwks == null ? null : ClientRules.jwks(jwks);
            String validUri = jwksUri == null ? null : ClientRules.jwksUri(jwksUri, allowHttpJwksUri);
            return changed(id, () -> directory.setKeys(id, validJwks, validUri));
        }).invoke(v -> {
            if (v != null) {
                cache.forget(id);
                audit.event("client_keys_set", "ok").with("client_id", id).with("by", actor).log();
            }
        });
    }

    /** Deletes the client and revokes every live token it had; false when there was none. */
    public Uni<Boolean> delete(ClientId id, UUID actor) {
        return changed(id, () -> directory.delete(id)).flatMap(deleted -> {
            cache.forget(id);
            return deleted ? revokeTokens(id, "client_deleted", actor).replaceWith(true) : Uni.createFrom().item(false);
        });
    }

    /**
     * Runs a change of the client's record between the two steps that keep every replica's cached record
     * right (see {@link ClientTokenStore}): counted in flight before it writes PostgreSQL, a new version once
     * it has committed or failed. Redis unreachable before: 503 and nothing changed; after: 503, and the
     * change stays counted in flight, so no replica uses a cached record of this client meanwhile.
     */
    private <T> Uni<T> changed(ClientId id, Supplier<Uni<T>> change) {
        return tokens.beginChange(id).chain(() -> Uni.createFrom().<T>deferred(change::get)
                .onItemOrFailure().transformToUni((item, e) -> tokens.endChange(id)
                        .chain(() -> e == null ? Uni.createFrom().item(item) : Uni.createFrom().<T>failure(e))));
    }

    private Uni<Void> revokeTokens(ClientId id, String event, UUID actor) {
        return tokens.revokeAll(id, Instant.now())
                .invoke(() -> audit.event(event, "ok").with("client_id", id).with("by", actor).log());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
