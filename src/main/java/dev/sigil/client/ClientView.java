package dev.sigil.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A client as the admin API shows it: never a secret digest. {@code client_secret} is present only in
 * the answer that creates or rotates the secret (shown once).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record ClientView(@JsonProperty("client_id") String clientId,
                         List<String> scopes,
                         @JsonProperty("default_scopes") List<String> defaultScopes,
                         List<String> audience,
                         @JsonProperty("introspection_audiences") List<String> introspectionAudiences,
                         @JsonProperty("token_lifetime") long tokenLifetime,
                         @JsonProperty("token_exchange") ExchangePolicy tokenExchange,
                         boolean enabled,
                         @JsonProperty("token_endpoint_auth_methods") List<String> authMethods,
                         Map<String, Object> jwks,
                         @JsonProperty("jwks_uri") String jwksUri,
                         @JsonProperty("previous_secret_valid_until") Instant previousSecretValidUntil,
                         @JsonProperty("created_at") Instant createdAt,
                         @JsonProperty("updated_at") Instant updatedAt,
                         @JsonProperty("client_secret") String clientSecret) {

    static ClientView of(Client c) {
        List<String> methods = new java.util.ArrayList<>();
        if (c.secretDigest != null) {
            methods.addAll(List.of("client_secret_basic", "client_secret_post"));
        }
        if (c.jwks != null || c.jwksUri != null) {
            methods.add("private_key_jwt");
        }
        Instant previous = c.previousSecretValidUntil == null ? null : c.previousSecretValidUntil.toInstant();
        return new ClientView(c.id, List.of(c.scopes), List.of(c.defaultScopes), List.of(c.audience), List.of(c.introspectionAudiences),
                c.tokenLifetimeSeconds, RegisteredClient.policy(c),
                c.enabled, List.copyOf(methods), c.jwks == null ? null : ClientRules.jwksMap(c.jwks), c.jwksUri,
                previous, c.createdAt.toInstant(), c.updatedAt.toInstant(), null);
    }

    ClientView withSecret(String secret) {
        return new ClientView(clientId, scopes, defaultScopes, audience, introspectionAudiences, tokenLifetime, tokenExchange, enabled, authMethods, jwks, jwksUri,
                previousSecretValidUntil, createdAt, updatedAt, secret);
    }

    @Override
    public String toString() {
        return "ClientView[client_id=" + clientId + "]"; // never the secret
    }

    /** One page of clients, ordered by id. {@code page} is 0-based. */
    @RegisterForReflection
    public record Page(List<ClientView> items, int page, int size, long total) {
    }
}
