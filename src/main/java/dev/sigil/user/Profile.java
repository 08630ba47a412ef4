package dev.sigil.user;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A user's own view of their account (GET /me, the answer to registration). */
public record Profile(UUID id, String username, String email, List<String> roles, Map<String, Object> claims) {
}
