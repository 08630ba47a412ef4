package dev.sigil.oauth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body of a client_credentials answer (RFC 6749 section 5.1): a record rather than a Map, so that
 * Jackson writes it with a serializer resolved once instead of inspecting a Map's entries on every grant.
 * {@code scope} is left out when the client got none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection // serialised from a Response entity, which native-image cannot discover
public record GrantResponse(@JsonProperty("access_token") String accessToken,
                     @JsonProperty("token_type") String tokenType,
                     @JsonProperty("expires_in") long expiresIn,
                     @JsonProperty("scope") String scope) {

    static GrantResponse of(ClientCredentialsGrant.Granted g) {
        return new GrantResponse(g.token().value(), "Bearer", g.token().expiresIn(),
                g.scopes().isEmpty() ? null : String.join(" ", g.scopes()));
    }

    @Override
    public String toString() {
        return "GrantResponse[expiresIn=" + expiresIn + "]"; // never the token
    }
}
