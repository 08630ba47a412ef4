package dev.sigil.key;

import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;

/**
 * One RSA key from the key directory. Which state it is in (next, active, retired) depends only on
 * its activation instant, its successor's and the clock, so every replica agrees without talking.
 */
public record SigningKey(String kid, Instant activatesAt, RSAPrivateCrtKey privateKey, RSAPublicKey publicKey) {

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + ", activatesAt=" + activatesAt + "]"; // never the private key
    }
}
