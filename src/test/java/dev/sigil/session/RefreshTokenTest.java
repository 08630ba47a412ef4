package dev.sigil.session;

import dev.sigil.id.UserId;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The refresh token's text form: only the canonical unpadded base64url of exactly one token parses. */
class RefreshTokenTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private final RefreshToken token = RefreshToken.start(dev.sigil.id.UserId.of(UUID.randomUUID()));
    private final String text = token.encode();

    @Test
    void theEncodedTokenParsesBackToItself() {
        assertThat(RefreshToken.parse(text)).isEqualTo(token);
        assertThat(text).hasSize(87).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void aLastCharacterDifferingOnlyInTheUnusedBitsIsRejected() {
        // 65 bytes are 520 bits: the 87th character carries 4 of them and 2 unused low bits, zero in canonical form.
        int last = ALPHABET.indexOf(text.charAt(86));
        assertThat(last & 3).isZero();
        for (int unused = 1; unused <= 3; unused++) {
            String variant = text.substring(0, 86) + ALPHABET.charAt(last | unused);
            assertThat(RefreshToken.parse(variant)).as(variant).isNull();
        }
    }

    @Test
    void paddingIsRejected() {
        assertThat(RefreshToken.parse(text + "=")).isNull();
        assertThat(RefreshToken.parse(text + "==")).isNull();
    }

    @Test
    void theStandardAlphabetIsRejected() {
        String standard = text.replace('-', '+').replace('_', '/');
        if (!standard.equals(text)) {
            assertThat(RefreshToken.parse(standard)).isNull();
        }
    }

    @Test
    void whitespaceAndOtherLengthsAreRejected() {
        assertThat(RefreshToken.parse(" " + text.substring(1))).isNull();
        assertThat(RefreshToken.parse(text.substring(0, 86))).isNull();
        assertThat(RefreshToken.parse(text + "A")).isNull();
        assertThat(RefreshToken.parse(null)).isNull();
        assertThat(RefreshToken.parse("")).isNull();
    }
}
