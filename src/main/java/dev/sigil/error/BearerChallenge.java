package dev.sigil.error;

import io.quarkus.security.AuthenticationFailedException;
import org.jose4j.jwt.consumer.InvalidJwtException;

/** RFC 6750 {@code WWW-Authenticate} values. Descriptions are fixed strings, never token content. */
public final class BearerChallenge {

    private BearerChallenge() {
    }

    public static String invalidToken(String description) {
        return "Bearer error=\"invalid_token\", error_description=\"" + description + "\"";
    }

    static String describe(AuthenticationFailedException e) {
        if (ProblemMapper.find(e, TokenRevokedException.class) != null) {
            return "The access token has been revoked";
        }
        InvalidJwtException jwt = ProblemMapper.find(e, InvalidJwtException.class);
        if (jwt != null && jwt.hasExpired()) {
            return "The access token expired";
        }
        return "The access token is invalid";
    }
}
