package dev.sigil.mfa;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Pure TOTP logic: the RFC 6238 appendix B vectors, the ±1 step window, the URI and base32. */
@UnitTest
class TotpTest {

    private static final byte[] SHA1_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA256_KEY = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA512_KEY = "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "T={0}")
    @CsvSource({
            "59, 94287082, 46119246, 90693936",
            "1111111109, 07081804, 68084774, 25091201",
            "1111111111, 14050471, 67062674, 99943326",
            "1234567890, 89005924, 91819424, 93441116",
            "2000000000, 69279037, 90698825, 38618901",
            "20000000000, 65353130, 77737706, 47863826"})
    void rfc6238TestVectorsPass(long seconds, String sha1, String sha256, String sha512) {
        Instant at = Instant.ofEpochSecond(seconds);
        assertThat(new Totp("HmacSHA1", 8).code(SHA1_KEY, at)).isEqualTo(sha1);
        assertThat(new Totp("HmacSHA256", 8).code(SHA256_KEY, at)).isEqualTo(sha256);
        assertThat(new Totp("HmacSHA512", 8).code(SHA512_KEY, at)).isEqualTo(sha512);
    }

    @Test
    void sixDigitCodesAreTheLastSixDigitsOfTheRfcVector() {
        // RFC 4226 truncation modulo 10^6 of the same HMAC: 94287082 -> 287082.
        assertThat(new Totp().code(SHA1_KEY, Instant.ofEpochSecond(59))).isEqualTo("287082");
    }

    @Test
    void aCodeOfTheStepBeforeOrAfterIsAcceptedAndReportsItsStep() {
        Totp totp = new Totp();
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        long step = Totp.step(now);
        assertThat(totp.matchingStep(SHA1_KEY, totp.code(SHA1_KEY, now.minusSeconds(30)), now)).isEqualTo(OptionalLong.of(step - 1));
        assertThat(totp.matchingStep(SHA1_KEY, totp.code(SHA1_KEY, now), now)).isEqualTo(OptionalLong.of(step));
        assertThat(totp.matchingStep(SHA1_KEY, totp.code(SHA1_KEY, now.plusSeconds(30)), now)).isEqualTo(OptionalLong.of(step + 1));
    }

    @Test
    void aCodeTwoStepsAwayIsRefused() {
        Totp totp = new Totp();
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        String old = totp.code(SHA1_KEY, now.minusSeconds(60));
        String future = totp.code(SHA1_KEY, now.plusSeconds(60));
        // Guard against a coincidental equal code in the window (1 in 10^6 per step).
        assertThat(old).isNotIn(totp.code(SHA1_KEY, now.minusSeconds(30)), totp.code(SHA1_KEY, now), totp.code(SHA1_KEY, now.plusSeconds(30)));
        assertThat(totp.matchingStep(SHA1_KEY, old, now)).isEmpty();
        assertThat(totp.matchingStep(SHA1_KEY, future, now)).isEmpty();
    }

    @Test
    void onlySixAsciiDigitsAreWellFormed() {
        assertThat(Totp.wellFormed("012345")).isTrue();
        assertThat(Totp.wellFormed("12345")).isFalse();
        assertThat(Totp.wellFormed("1234567")).isFalse();
        assertThat(Totp.wellFormed("12345\u0663")).isFalse(); // ARABIC-INDIC DIGIT THREE
        assertThat(Totp.wellFormed(null)).isFalse();
    }

    @Test
    void base32MatchesRfc4648Vectors() {
        assertThat(Totp.base32("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
        assertThat(Totp.base32("fo".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXQ");
        assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
    }

    @Test
    void uriNamesIssuerAccountAndParameters() {
        assertThat(Totp.uri("Sigil", "alice@example.com", "foobar".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("otpauth://totp/Sigil:alice%40example.com?secret=MZXW6YTBOI&issuer=Sigil&algorithm=SHA1&digits=6&period=30");
    }
}
