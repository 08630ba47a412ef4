package dev.sigil.password;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The native (libargon2) and Bouncy Castle Argon2id compute the same bytes, so each verifies the other's hashes. */
@UnitTest
class Argon2EngineTest {

    private static final Argon2Engine BC = Argon2Engine.bouncyCastle();
    /** Linux x86-64 is a platform argon2-jvm ships libargon2 for: here the native one must load. */
    private static final Argon2Engine NATIVE = Argon2Engine.loadNative().orElseThrow(
            () -> new AssertionError("libargon2 did not load on " + System.getProperty("os.name") + " " + System.getProperty("os.arch")));

    @Test
    void nativeLoadsHereAndIsChosenUnlessSwitchedOff() {
        assertThat(NATIVE.name()).isEqualTo("native");
        assertThat(Argon2Engine.select(true).name()).isEqualTo("native");
        assertThat(Argon2Engine.select(false).name()).isEqualTo("bouncy-castle");
    }

    /** The reference implementation's own test vector (argon2 src/test.c, Argon2id v=0x13, t=2, m=2^16, p=1). */
    @Test
    void bothMatchTheReferenceTestVector() {
        byte[] password = "password".getBytes(StandardCharsets.UTF_8);
        byte[] salt = "somesalt".getBytes(StandardCharsets.UTF_8);
        String expected = "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7";
        assertThat(HexFormat.of().formatHex(NATIVE.compute(password, salt, 65536, 2, 1, 32))).isEqualTo(expected);
        assertThat(HexFormat.of().formatHex(BC.compute(password, salt, 65536, 2, 1, 32))).isEqualTo(expected);
        String phc = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(new Argon2id(19456, 2, 1, NATIVE).verify(phc, "password")).isTrue();
        assertThat(new Argon2id(19456, 2, 1, BC).verify(phc, "password")).isTrue();
    }

    @Test
    void bouncyCastleVerifiesNativeHashesAtTheServersParameters() {
        String phc = new Argon2id(19456, 2, 1, NATIVE).hash("correct horse battery staple");
        assertThat(new Argon2id(19456, 2, 1, BC).verify(phc, "correct horse battery staple")).isTrue();
        assertThat(new Argon2id(19456, 2, 1, BC).verify(phc, "correct horse battery stapler")).isFalse();
    }

    @Test
    void nativeVerifiesBouncyCastleHashesAtTheServersParameters() {
        String phc = new Argon2id(19456, 2, 1, BC).hash("correct horse battery staple");
        assertThat(new Argon2id(19456, 2, 1, NATIVE).verify(phc, "correct horse battery staple")).isTrue();
        assertThat(new Argon2id(19456, 2, 1, NATIVE).verify(phc, "Correct horse battery staple")).isFalse();
    }

    @Test
    void bothAgreeOnOtherParametersLengthsAndNonAsciiPasswords() {
        byte[] password = "pässwörd 🔑".getBytes(StandardCharsets.UTF_8);
        byte[] salt = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
        for (int[] c : new int[][] {{64, 1, 1, 32}, {256, 3, 2, 16}, {1024, 2, 4, 64}}) {
            assertThat(NATIVE.compute(password, salt, c[0], c[1], c[2], c[3]))
                    .as("m=%d t=%d p=%d len=%d", c[0], c[1], c[2], c[3])
                    .isEqualTo(BC.compute(password, salt, c[0], c[1], c[2], c[3]));
        }
    }
}
