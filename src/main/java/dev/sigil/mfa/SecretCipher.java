package dev.sigil.mfa;

import dev.sigil.config.SigilConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * TOTP secrets at rest: AES-256-GCM under sigil.mfa.encryption-key, a random 96-bit nonce each time, and
 * the user id as associated data, so a ciphertext copied to another user's row does not decrypt. Recovery
 * codes are kept as HMAC-SHA256 under a key derived from the same key: without it, a stolen table cannot
 * be searched offline for the codes. Prod refuses to start without the key when MFA is on (ConfigValidator);
 * dev and test generate one per start.
 */
@ApplicationScoped
public class SecretCipher {

    private static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec aes;
    private final SecretKeySpec hmac;

    @Inject
    public SecretCipher(SigilConfig config) {
        this(config.mfa().encryptionKey().map(k -> Base64.getDecoder().decode(k.trim())).orElseGet(() -> {
            // In prod this means MFA is off (ConfigValidator refuses MFA without the key), so nothing is ever
            // encrypted; a random key all the same, never one that anybody could know.
            if (LaunchMode.current() != LaunchMode.NORMAL) {
                Log.warn("sigil.mfa.encryption-key is not set: a random key is used until restart (dev and test only)");
            }
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            return key;
        }));
    }

    SecretCipher(byte[] key) {
        this.aes = new SecretKeySpec(key, "AES");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            this.hmac = new SecretKeySpec(mac.doFinal("sigil recovery codes".getBytes(StandardCharsets.US_ASCII)), "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String encrypt(UUID user, byte[] secret) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, nonce));
            c.updateAAD(bytes(user));
            byte[] sealed = c.doFinal(secret);
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The secret, or null when it does not decrypt (another key, another user's row, tampering). */
    public byte[] decrypt(UUID user, String stored) {
        try {
            byte[] all = Base64.getDecoder().decode(stored);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, aes, new GCMParameterSpec(128, all, 0, NONCE));
            c.updateAAD(bytes(user));
            return c.doFinal(all, NONCE, all.length - NONCE);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The stored form of a recovery code of {@code user} (already normalised). */
    public String recoveryDigest(UUID user, String code) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hmac);
            mac.update(bytes(user));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(code.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }
}
