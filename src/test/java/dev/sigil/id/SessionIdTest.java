package dev.sigil.id;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@UnitTest
class SessionIdTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private final byte[] bytes = new byte[16];
    private final String text;

    SessionIdTest() {
        new SecureRandom().nextBytes(bytes);
        text = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Test
    void theCanonicalTextOf16BytesParses() {
        assertThat(SessionId.parse(text)).contains(SessionId.of(bytes));
        assertThat(SessionId.of(bytes).value()).isEqualTo(text).hasSize(22);
    }

    @Test
    void aLastCharacterDifferingOnlyInTheUnusedBitsIsRefused() {
        // 16 bytes are 128 bits: the 22nd character carries 2 of them and 4 unused bits.
        int last = ALPHABET.indexOf(text.charAt(21));
        for (int unused = 1; unused <= 15; unused++) {
            String variant = text.substring(0, 21) + ALPHABET.charAt(last | unused);
            assertThat(Base64.getUrlDecoder().decode(variant)).isEqualTo(bytes);
            assertThat(SessionId.parse(variant)).as(variant).isEmpty();
        }
    }

    @Test
    void paddingOtherAlphabetsAndKeySyntaxAreRefused() {
        for (String bad : List.of(text + "==", text + "=", text.substring(0, 20) + "==", text + ":old", text + ":next",
                text + "}", "{" + text + "}", "*", text.substring(0, 21) + "*", "?", "[a]", "\u0000", text + "\u0000",
                "/", text.substring(0, 21) + "/", text.substring(0, 21) + "+", " " + text.substring(1), "", "A".repeat(8192),
                text.substring(0, 21), text + "A")) {
            assertThat(SessionId.parse(bad)).as(bad).isEmpty();
        }
        assertThat(SessionId.parse(null)).isEmpty();
    }

    @Test
    void anotherLetterCaseIsAnotherIdOrNone() {
        String upper = text.toUpperCase(Locale.ROOT);
        if (!upper.equals(text)) {
            assertThat(SessionId.parse(upper).map(SessionId::value)).isNotEqualTo(java.util.Optional.of(text));
        }
    }

    @Test
    void theConstructorAcceptsNothingButTheCanonicalForm() {
        assertThatThrownBy(() -> new SessionId(text + ":old")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionId.of(new byte[15])).isInstanceOf(IllegalArgumentException.class);
    }

    /** The JAX-RS conversion of a path parameter: the same strict parse, and an exception (a 404) for anything else. */
    @Test
    void fromStringTakesOnlyTheCanonicalText() {
        SessionId id = SessionId.of(new byte[SessionId.BYTES]);
        assertThat(SessionId.fromString(id.value())).isEqualTo(id);
        for (String bad : List.of(id.value() + ":old", id.value() + "==", "AAAAAAAAAAAAAAAAAAAAAB", "*", "")) {
            assertThatThrownBy(() -> SessionId.fromString(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SessionId.fromString(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
