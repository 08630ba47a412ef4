package dev.sigil.user;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A user as the admin API shows it: everything but the password hash. */
@RegisterForReflection // serialised from a Response entity, which native-image cannot discover
public record UserView(UUID id, String username, String email, @JsonProperty("email_verified") boolean emailVerified, List<String> roles, Map<String, Object> claims,
                       boolean enabled, Instant createdAt, Instant updatedAt, Instant passwordChangedAt) {

    static UserView of(User u) {
        return new UserView(u.id, u.username, u.email, u.emailVerified, List.of(u.roles), Map.copyOf(u.customClaims), u.enabled,
                u.createdAt.toInstant(), u.updatedAt.toInstant(), u.passwordChangedAt.toInstant());
    }

    /** One page of users, ordered by username. {@code page} is 0-based. */
    public record Page(List<UserView> items, int page, int size, long total) {
    }
}
