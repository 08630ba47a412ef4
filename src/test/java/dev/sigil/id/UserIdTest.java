package dev.sigil.id;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@UnitTest
class UserIdTest {

    private final UUID uuid = UUID.fromString("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");

    @Test
    void theCanonicalSpellingParses() {
        assertThat(UserId.parse("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")).contains(UserId.of(uuid));
        UUID random = UUID.randomUUID();
        assertThat(UserId.parse(random.toString())).contains(UserId.of(random));
    }

    @Test
    void otherSpellingsThatUuidFromStringAcceptsAreRefused() {
        // Each of these is accepted by UUID.fromString as some UUID.
        for (String other : List.of("1-1-1-1-1", "a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d".toUpperCase(Locale.ROOT), "0A1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")) {
            UUID.fromString(other);
            assertThat(UserId.parse(other)).as(other).isEmpty();
        }
    }

    @Test
    void hostileTextIsRefusedWithoutAnException() {
        for (String bad : List.of("", " ", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d ", " 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                "{0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d}", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d:nbf",
                "0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4g", "0a1b2c3d-4e5f-4a6b-8c7d\u00009e0f1a2b3c4",
                "*", "x".repeat(8192))) {
            assertThat(UserId.parse(bad)).as(bad).isEmpty();
        }
        assertThat(UserId.parse(null)).isEmpty();
    }

    @Test
    void itsTextIsTheCanonicalSpelling() {
        assertThat(UserId.of(uuid)).hasToString("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    }

    /** The JAX-RS conversion of a path parameter: the same strict parse, and an exception (a 404) for anything else. */
    @Test
    void fromStringTakesOnlyTheCanonicalSpelling() {
        assertThat(UserId.fromString("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")).isEqualTo(UserId.of(uuid));
        for (String bad : List.of("0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D", "1-1-1-1-1", "", "*")) {
            assertThatThrownBy(() -> UserId.fromString(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> UserId.fromString(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
