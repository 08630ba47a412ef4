package dev.sigil.user;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A user's own view of their account (GET /me, the answer to registration); {@code email_verified} as in tokens. */
@RegisterForReflection // serialised from a Response entity, which native-image cannot discover
public record Profile(UUID id, String username, String email, @JsonProperty("email_verified") boolean emailVerified,
                      List<String> roles, Map<String, Object> claims) {

    public static Profile of(UserSnapshot u) {
        return new Profile(u.id().value(), u.username(), u.email(), u.emailVerified(), u.roles(), u.claims());
    }

    public static Profile of(UserView u) {
        return new Profile(u.id(), u.username(), u.email(), u.emailVerified(), u.roles(), u.claims());
    }
}
