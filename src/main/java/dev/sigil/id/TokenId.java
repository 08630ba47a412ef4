package dev.sigil.id;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** An access token's {@code jti}: a random UUID in canonical spelling. */
public record TokenId(UUID value) {

    public TokenId {
        Objects.requireNonNull(value, "value");
    }

    /** A fresh id for a token about to be issued. */
    public static TokenId random() {
        return new TokenId(UUID.randomUUID());
    }

    /** Empty unless {@code text} is the canonical lowercase 8-4-4-4-12 spelling that {@link #random()} produces. */
    public static Optional<TokenId> parse(String text) {
        return CanonicalUuid.parse(text).map(TokenId::new);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
