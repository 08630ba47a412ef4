package dev.sigil.token;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an access token says about its user: no password hash, nothing else of the entity.
 * {@code emailVerified} is true only when an admin set or confirmed {@code email}.
 */
public record TokenSubject(UUID id, String username, String email, boolean emailVerified, List<String> roles, Map<String, Object> customClaims) {
}
