package dev.sigil.web;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A token answer in RFC 6749 section 5.1's names: /login and /refresh-token (a refresh token only where
 * configured to be in the body), and /oauth2/token (a scope, no refresh token, and issued_token_type for a token exchange). Absent members are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection // serialised from a Response entity, which native-image cannot discover
public record TokenResponse(@JsonProperty("access_token") String accessToken,
                            @JsonProperty("token_type") String tokenType,
                            @JsonProperty("expires_in") long expiresIn,
                            @JsonProperty("refresh_token") String refreshToken,
                            @JsonProperty("scope") String scope,
                            @JsonProperty("issued_token_type") String issuedTokenType) {

    /** A user's tokens: the access token, and the refresh token when it also goes in the body. */
    public static TokenResponse forUser(String accessToken, long expiresIn, String refreshTokenInBody) {
        return new TokenResponse(accessToken, "Bearer", expiresIn, refreshTokenInBody, null, null);
    }

    /**
     * A /oauth2/token answer: no refresh token (RFC 6749 section 4.4.3, RFC 8693 section 2.2.1), the scope when there
     * is one, and for a token exchange the {@code issued_token_type} RFC 8693 requires.
     */
    public static TokenResponse forClient(String accessToken, long expiresIn, String scope, String issuedTokenType) {
        return new TokenResponse(accessToken, "Bearer", expiresIn, null, scope, issuedTokenType);
    }

    @Override
    public String toString() {
        return "TokenResponse[expiresIn=" + expiresIn + "]"; // never a token
    }
}
