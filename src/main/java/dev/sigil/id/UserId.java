package dev.sigil.id;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A user's id (the {@code sub} claim, admin API paths, the id inside a refresh token). As a path parameter
 * ({@link #fromString}) the OpenAPI document shows its text, not the record.
 */
@Schema(type = SchemaType.STRING, format = "uuid", description = "A user id: a UUID in lowercase 8-4-4-4-12")
public record UserId(UUID value) {

    public UserId {
        Objects.requireNonNull(value, "value");
    }

    /** From a UUID that is already typed (the database, the binary refresh token). */
    public static UserId of(UUID value) {
        return new UserId(value);
    }

    /** Empty unless {@code text} is the canonical lowercase 8-4-4-4-12 spelling. */
    public static Optional<UserId> parse(String text) {
        return CanonicalUuid.parse(text).map(UserId::new);
    }

    /**
     * The JAX-RS conversion of a {@code @PathParam}: an id in any other spelling is refused, so that the
     * framework answers 404 before the resource runs (never an exception message in the answer).
     */
    public static UserId fromString(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a user id"));
    }

    /** The canonical spelling, as in {@code sub} and in key names. */
    @Override
    public String toString() {
        return value.toString();
    }
}
