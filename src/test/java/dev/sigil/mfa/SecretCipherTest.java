package dev.sigil.mfa;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@UnitTest
class SecretCipherTest {

    private static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @Test
    void aSecretDecryptsForItsUserUnderTheSameKey() {
        SecretCipher c = new SecretCipher(randomKey());
        UUID user = UUID.randomUUID();
        byte[] secret = Totp.newSecret();
        String stored = c.encrypt(user, secret);
        assertThat(stored).doesNotContain(Totp.base32(secret));
        assertThat(c.decrypt(user, stored)).isEqualTo(secret);
    }

    @Test
    void aSecretCopiedToAnotherUserDoesNotDecrypt() {
        SecretCipher c = new SecretCipher(randomKey());
        String stored = c.encrypt(UUID.randomUUID(), Totp.newSecret());
        assertThat(c.decrypt(UUID.randomUUID(), stored)).isNull();
    }

    @Test
    void anotherKeyOrATamperedCiphertextDoesNotDecrypt() {
        UUID user = UUID.randomUUID();
        String stored = new SecretCipher(randomKey()).encrypt(user, Totp.newSecret());
        assertThat(new SecretCipher(randomKey()).decrypt(user, stored)).isNull();
        char[] chars = stored.toCharArray();
        chars[20] = chars[20] == 'A' ? 'B' : 'A';
        assertThat(new SecretCipher(randomKey()).decrypt(user, new String(chars))).isNull();
    }

    @Test
    void encryptingTwiceGivesDifferentCiphertexts() {
        SecretCipher c = new SecretCipher(randomKey());
        UUID user = UUID.randomUUID();
        byte[] secret = Totp.newSecret();
        assertThat(c.encrypt(user, secret)).isNotEqualTo(c.encrypt(user, secret));
    }

    @Test
    void recoveryDigestsDependOnUserAndKey() {
        byte[] key = randomKey();
        UUID user = UUID.randomUUID();
        assertThat(new SecretCipher(key).recoveryDigest(user, "abcdefghij")).isEqualTo(new SecretCipher(key).recoveryDigest(user, "abcdefghij"));
        assertThat(new SecretCipher(key).recoveryDigest(UUID.randomUUID(), "abcdefghij")).isNotEqualTo(new SecretCipher(key).recoveryDigest(user, "abcdefghij"));
        assertThat(new SecretCipher(randomKey()).recoveryDigest(user, "abcdefghij")).isNotEqualTo(new SecretCipher(key).recoveryDigest(user, "abcdefghij"));
    }

    @Test
    void recoveryCodesAreTenDistinctAndNormaliseIgnoringCaseAndDash() {
        var codes = RecoveryCodes.generate();
        assertThat(codes).hasSize(10).doesNotHaveDuplicates().allMatch(c -> c.matches("[a-z2-7]{5}-[a-z2-7]{5}"));
        assertThat(RecoveryCodes.normalise("ABCDE-fghij")).contains("abcdefghij");
        assertThat(RecoveryCodes.normalise("abcde-fghi1")).isEmpty();
        assertThat(RecoveryCodes.normalise("123456")).isEmpty();
    }
}
