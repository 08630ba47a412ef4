package dev.sigil.id;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** A user's id (the {@code sub} claim, admin API paths, the id inside a refresh token). */
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

    /** The canonical spelling, as in {@code sub} and in key names. */
    @Override
    public String toString() {
        return value.toString();
    }
}
