package dev.sigil.id;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * An access token's {@code jti}: a UUID in canonical spelling. User tokens get a random one (version 4);
 * client tokens a time-ordered one (version 7, RFC 9562) that carries its issue instant to a fraction of a
 * millisecond, so that a client's not-before can be compared with it more finely than {@code iat}'s seconds.
 */
public record TokenId(UUID value) {

    public TokenId {
        Objects.requireNonNull(value, "value");
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A fresh id for a token about to be issued. */
    public static TokenId random() {
        return new TokenId(UUID.randomUUID());
    }

    /**
     * A fresh version 7 id for a token issued at {@code at}: 48 bits of Unix milliseconds, then (RFC 9562
     * section 6.2, method 3) 12 bits of the fraction of that millisecond, then 62 random bits.
     */
    public static TokenId timeOrdered(Instant at) {
        long ticks = ticks(at);
        long msb = (ticks >>> 12) << 16 | 0x7000L | (ticks & 0xFFFL);
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new TokenId(new UUID(msb, lsb));
    }

    /** An instant in the unit a time-ordered id keeps: 1/4096 ms (about 244 ns) since the epoch. */
    public static long ticks(Instant at) {
        return at.toEpochMilli() * 4096 + (at.getNano() % 1_000_000) * 4096L / 1_000_000;
    }

    /** The issue instant in {@link #ticks} of a time-ordered id; empty for a random one. */
    public OptionalLong issuedAtTicks() {
        if (value.version() != 7) {
            return OptionalLong.empty();
        }
        long msb = value.getMostSignificantBits();
        return OptionalLong.of((msb >>> 16) * 4096 + (msb & 0xFFFL));
    }

    /** Empty unless {@code text} is the canonical lowercase 8-4-4-4-12 spelling that {@link #random()} produces. */
    public static Optional<TokenId> parse(String text) {
        return CanonicalUuid.parse(text).map(TokenId::new);
    }

    /** The JAX-RS conversion of a parameter: anything but the canonical spelling is refused before the resource runs. */
    public static TokenId fromString(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a token id"));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
