package dev.sigil.user;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.OptBoolean;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sigil.id.UserId;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A user as read at one instant, without the password hash: what a password check passed, what a pending
 * second factor and a session keep, and what an access token says. {@code passwordChangedAt} names the
 * password that was checked, so a later read can tell whether it is still the one. {@code emailVerified} is
 * true only when an admin (or the bootstrap configuration) set or confirmed {@code email}.
 * <p>
 * Kept in Redis as compact JSON ({@link #toJson()}) with one-letter names and without the id, which the
 * key names already carry (a session's hash tag, an mfa_token's {@code uid}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection // written and read by Jackson outside any resource signature, which native-image cannot discover
public record UserSnapshot(@JsonIgnore @JacksonInject(value = UserSnapshot.ID, useInput = OptBoolean.FALSE) UserId id,
                           @JsonProperty("n") String username,
                           @JsonProperty("e") String email,
                           @JsonProperty("v") boolean emailVerified,
                           @JsonProperty("r") List<String> roles,
                           @JsonProperty("c") Map<String, Object> claims,
                           @JsonProperty("p") Instant passwordChangedAt) {

    private static final String ID = "dev.sigil.user.UserSnapshot.id";
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();
    private static final ObjectReader READER = JSON.readerFor(UserSnapshot.class);

    public UserSnapshot {
        Objects.requireNonNull(id, "id");
        roles = roles == null ? List.of() : List.copyOf(roles);
        // In the order read (jsonb's), so that a token's claims come out the same way each time.
        claims = claims == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(claims));
    }

    static UserSnapshot of(User u) {
        return new UserSnapshot(UserId.of(u.id), u.username, u.email, u.emailVerified, List.of(u.roles), u.customClaims,
                u.passwordChangedAt.toInstant());
    }

    /** The same user with only {@code roles} (a token that leaves out roles needing a second factor). */
    public UserSnapshot withRoles(List<String> roles) {
        return new UserSnapshot(id, username, email, emailVerified, roles, claims, passwordChangedAt);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a user snapshot that JSON cannot hold", e);
        }
    }

    /** Only Sigil writes these values; one it cannot read is a bug or tampering, never a user. */
    public static UserSnapshot fromJson(UserId id, String json) {
        try {
            return READER.with(new InjectableValues.Std().addValue(ID, id)).readValue(json);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("an unreadable snapshot of user " + id, e);
        }
    }

    @Override
    public String toString() {
        return "UserSnapshot[id=" + id + "]"; // claims and email stay out of logs
    }
}
