package dev.sigil.token;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What an access token says about its user: no password hash, nothing else of the entity. */
public record TokenSubject(UUID id, String username, String email, List<String> roles, Map<String, Object> customClaims) {
}
