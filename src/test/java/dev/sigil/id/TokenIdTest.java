package dev.sigil.id;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@UnitTest
class TokenIdTest {

    @Test
    void aRandomIdParsesBackFromItsText() {
        TokenId id = TokenId.random();
        assertThat(TokenId.parse(id.toString())).contains(id);
        assertThat(id.toString()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void anyOtherSpellingIsRefused() {
        String text = TokenId.random().toString();
        for (String bad : List.of(text.toUpperCase(Locale.ROOT), text + ":x", "{" + text + "}", "*", "1-1-1-1-1", "", text.replace("-", ""))) {
            assertThat(TokenId.parse(bad)).as(bad).isEmpty();
        }
        assertThat(TokenId.parse(null)).isEmpty();
    }

    @Test
    void aTimeOrderedIdIsAVersion7UuidThatCarriesItsInstantToTheMicrosecond() {
        java.time.Instant at = java.time.Instant.parse("2026-12-07T20:00:00.123456789Z");
        TokenId id = TokenId.timeOrdered(at);
        assertThat(id.toString()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(TokenId.parse(id.toString())).contains(id);
        assertThat(id.issuedAtTicks()).hasValue(TokenId.ticks(at));
        // ~244 ns per tick: instants a microsecond apart never share a tick, and order is kept.
        java.time.Instant later = at.plusNanos(1000);
        assertThat(TokenId.ticks(later)).isGreaterThan(TokenId.ticks(at));
        assertThat(TokenId.timeOrdered(later).issuedAtTicks().getAsLong()).isGreaterThan(id.issuedAtTicks().getAsLong());
        assertThat(TokenId.ticks(at) / 4096).isEqualTo(at.toEpochMilli());
    }

    @Test
    void aRandomIdCarriesNoInstant() {
        assertThat(TokenId.random().issuedAtTicks()).isEmpty();
    }

    /** The JAX-RS conversion of a parameter: the same strict parse, and an exception for anything else. */
    @Test
    void fromStringTakesOnlyTheCanonicalSpelling() {
        TokenId id = TokenId.random();
        assertThat(TokenId.fromString(id.toString())).isEqualTo(id);
        for (String bad : List.of(id.toString().toUpperCase(Locale.ROOT), id + ":x", "*", "")) {
            assertThatThrownBy(() -> TokenId.fromString(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
