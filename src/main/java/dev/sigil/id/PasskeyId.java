package dev.sigil.id;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Sigil's id of a passkey (not the authenticator's credential id): a UUID in its one canonical spelling. */
public record PasskeyId(UUID value) {

    public PasskeyId {
        Objects.requireNonNull(value);
    }

    /** Empty unless {@code text} is the canonical lowercase 8-4-4-4-12 spelling. */
    public static Optional<PasskeyId> parse(String text) {
        return CanonicalUuid.parse(text).map(PasskeyId::new);
    }

    /** The JAX-RS conversion of a {@code @PathParam}: any other spelling is refused (404 before the resource runs). */
    public static PasskeyId fromString(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a passkey id"));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
