package dev.sigil.session;

import dev.sigil.support.UnitTest;
import dev.sigil.id.UserId;
import io.quarkus.runtime.LaunchMode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The refresh token's text form (only the canonical unpadded base64url of exactly one token parses) and its tag. */
@UnitTest
class RefreshTokenTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static String randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    private final RefreshKeys keys = new RefreshKeys(Optional.empty(), Optional.empty(), LaunchMode.TEST);
    private final RefreshToken token = RefreshToken.start(UserId.of(UUID.randomUUID()), keys);
    private final String text = token.encode();

    @Test
    void theEncodedTokenParsesBackToItself() {
        assertThat(RefreshToken.parse(text)).isEqualTo(token);
        assertThat(text).hasSize(114).matches("[A-Za-z0-9_-]+");
        assertThat(token.generation()).isEqualTo(1);
        assertThat(RefreshToken.parse(text).taggedBy(keys)).isTrue();
    }

    @Test
    void eachSuccessorIsTheNextGenerationOfTheSameSession() {
        RefreshToken next = token.successor(keys).successor(keys);
        assertThat(next.generation()).isEqualTo(3);
        assertThat(next.sid()).isEqualTo(token.sid());
        assertThat(RefreshToken.parse(next.encode()).taggedBy(keys)).isTrue();
    }

    @Test
    void aTagOfAnotherKeyOrAnotherGenerationIsRefused() {
        RefreshKeys other = new RefreshKeys(Optional.of(randomKey()), Optional.empty(), LaunchMode.TEST);
        assertThat(RefreshToken.parse(text).taggedBy(other)).isFalse();
        // The same tag under another generation number: an attacker cannot move a token to an older generation.
        byte[] raw = Base64.getUrlDecoder().decode(text);
        ByteBuffer.wrap(raw).putInt(65, 7);
        RefreshToken moved = RefreshToken.parse(Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
        assertThat(moved.generation()).isEqualTo(7);
        assertThat(moved.taggedBy(keys)).isFalse();
    }

    @Test
    void thePreviousKeyStillVerifiesAfterARotation() {
        String oldKey = randomKey();
        RefreshKeys before = new RefreshKeys(Optional.of(oldKey), Optional.empty(), LaunchMode.NORMAL);
        RefreshKeys after = new RefreshKeys(Optional.of(randomKey()), Optional.of(oldKey), LaunchMode.NORMAL);
        RefreshToken issued = RefreshToken.start(UserId.of(UUID.randomUUID()), before);
        assertThat(RefreshToken.parse(issued.encode()).taggedBy(after)).isTrue();
        RefreshKeys dropped = new RefreshKeys(Optional.of(randomKey()), Optional.empty(), LaunchMode.NORMAL);
        assertThat(RefreshToken.parse(issued.encode()).taggedBy(dropped)).isFalse();
    }

    @Test
    void prodRefusesToStartWithoutAKeyOrWithAShortOne() {
        assertThatThrownBy(() -> new RefreshKeys(Optional.empty(), Optional.empty(), LaunchMode.NORMAL))
                .hasMessageContaining("SIGIL_TOKENS_REFRESH_KEY");
        assertThatThrownBy(() -> new RefreshKeys(Optional.of(Base64.getEncoder().encodeToString(new byte[16])), Optional.empty(),
                LaunchMode.NORMAL)).hasMessageContaining("at least 32 bytes");
    }

    @Test
    void theUntaggedFormatOfEarlierDraftsIsNotAToken() {
        // 1 | user id | session id | secret, without generation and tag: never released, never accepted.
        UUID user = UUID.randomUUID();
        byte[] rest = new byte[48];
        new SecureRandom().nextBytes(rest);
        String untagged = Base64.getUrlEncoder().withoutPadding().encodeToString(ByteBuffer.allocate(65).put((byte) 1)
                .putLong(user.getMostSignificantBits()).putLong(user.getLeastSignificantBits()).put(rest).array());
        assertThat(RefreshToken.parse(untagged)).isNull();
        // Nor is a token of the current length with another version byte.
        byte[] raw = Base64.getUrlDecoder().decode(text);
        raw[0] = 1;
        assertThat(RefreshToken.parse(Base64.getUrlEncoder().withoutPadding().encodeToString(raw))).isNull();
    }

    @Test
    void generationZeroIsNoVersionTwoToken() {
        byte[] raw = Base64.getUrlDecoder().decode(text);
        ByteBuffer.wrap(raw).putInt(65, 0);
        assertThat(RefreshToken.parse(Base64.getUrlEncoder().withoutPadding().encodeToString(raw))).isNull();
    }

    @Test
    void aLastCharacterDifferingOnlyInTheUnusedBitsIsRejected() {
        // 85 bytes are 680 bits: the 114th character carries 2 of them and 4 unused low bits, zero in canonical form.
        int last = ALPHABET.indexOf(text.charAt(113));
        assertThat(last & 15).isZero();
        for (int unused = 1; unused <= 15; unused++) {
            String variant = text.substring(0, 113) + ALPHABET.charAt(last | unused);
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
        assertThat(RefreshToken.parse(text.substring(0, 113))).isNull();
        assertThat(RefreshToken.parse(text + "A")).isNull();
        assertThat(RefreshToken.parse(null)).isNull();
        assertThat(RefreshToken.parse("")).isNull();
    }
}
