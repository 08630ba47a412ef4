package dev.sigil.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.id.UserId;
import dev.sigil.token.TokenSubject;

import java.util.List;
import java.util.Map;

/**
 * The token subject as the session keeps it (field {@code sub}), so that a refresh mints the access
 * token without reading PostgreSQL while the user's version holds. One compact JSON field with short names;
 * the user id is not repeated (it is the key's hash tag).
 */
final class StoredSubject {

    private static final ObjectMapper JSON = new ObjectMapper();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Fields(@JsonProperty("n") String username, @JsonProperty("e") String email,
                          @JsonProperty("v") boolean emailVerified, @JsonProperty("r") List<String> roles,
                          @JsonProperty("c") Map<String, Object> customClaims) {
    }

    private StoredSubject() {
    }

    static String write(TokenSubject s) {
        try {
            return JSON.writeValueAsString(new Fields(s.username(), s.email(), s.emailVerified(), s.roles(), s.customClaims()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a token subject that JSON cannot hold", e);
        }
    }

    /** Only Sigil writes the field; a value it cannot read is a bug or tampering, never a token. */
    static TokenSubject read(UserId user, String json) {
        try {
            Fields f = JSON.readValue(json, Fields.class);
            return new TokenSubject(user.value(), f.username(), f.email(), f.emailVerified(),
                    f.roles() == null ? List.of() : List.copyOf(f.roles()), f.customClaims() == null ? Map.of() : f.customClaims());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an unreadable subject in a session of " + user, e);
        }
    }
}
