package dev.sigil.client;

import dev.sigil.id.ClientId;

import java.time.Instant;
import java.util.List;

/**
 * What client authentication and the token endpoint need to know of a client: an immutable snapshot
 * that may be cached. The digests never leave the service layer (no accessor reaches an API answer).
 */
public record RegisteredClient(ClientId id, String secretDigest, String previousSecretDigest, Instant previousSecretValidUntil,
                               List<String> scopes, List<String> defaultScopes, List<String> audience,
                               List<String> introspectionAudiences, long tokenLifetimeSeconds, boolean enabled, String jwks,
                               String jwksUri, ExchangePolicy exchange) {

    static RegisteredClient of(Client c) {
        return new RegisteredClient(new ClientId(c.id), c.secretDigest, c.previousSecretDigest,
                c.previousSecretValidUntil == null ? null : c.previousSecretValidUntil.toInstant(),
                List.of(c.scopes), List.of(c.defaultScopes), List.of(c.audience), List.of(c.introspectionAudiences),
                c.tokenLifetimeSeconds, c.enabled, c.jwks, c.jwksUri, policy(c));
    }

    static ExchangePolicy policy(Client c) {
        return new ExchangePolicy(List.of(c.exchangeSubjects), List.of(c.exchangeScopes));
    }

    /** True when {@code secret} is the client's secret, or its previous one within the rotation overlap. Constant time per digest. */
    public boolean secretMatches(String secret, Instant now) {
        if (secret == null) {
            return false;
        }
        boolean current = ClientSecret.matches(secret, secretDigest);
        boolean previous = previousSecretValidUntil != null && now.isBefore(previousSecretValidUntil)
                && ClientSecret.matches(secret, previousSecretDigest);
        return current | previous; // both compared, no short cut
    }

    public boolean hasKeys() {
        return jwks != null || jwksUri != null;
    }

    @Override
    public String toString() {
        return "RegisteredClient[id=" + id + "]"; // never the digests
    }
}
