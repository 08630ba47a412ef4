package dev.sigil.password;

import io.vertx.core.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Argon2id in the PHC string format used by the reference implementation:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, unpadded standard base64, computed by {@code engine}
 * (native or Bouncy Castle: both give the same bytes, so each verifies the other's hashes).
 * CPU- and memory-heavy: callers go through {@link PasswordHasher}, which runs it on a bounded pool.
 */
public record Argon2id(int memoryKib, int iterations, int parallelism, Argon2Engine engine) {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    /** The PHC format's minimums (salt 8 bytes) and a floor for the tag that a real hash always meets. */
    private static final int MIN_SALT_BYTES = 8;
    private static final int MIN_HASH_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    /** With Bouncy Castle, which works everywhere. */
    public Argon2id(int memoryKib, int iterations, int parallelism) {
        this(memoryKib, iterations, parallelism, Argon2Engine.bouncyCastle());
    }

    public String hash(String password) {
        refuseEventLoop();
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] out = engine.compute(password.getBytes(StandardCharsets.UTF_8), salt, memoryKib, iterations, parallelism, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** Constant-time comparison against a stored PHC string; false for anything malformed. */
    public boolean verify(String phc, String password) {
        refuseEventLoop();
        Phc p = Phc.parse(phc);
        if (p == null) {
            return false;
        }
        byte[] actual = engine.compute(password.getBytes(StandardCharsets.UTF_8), p.salt, p.m, p.t, p.p, p.hash.length);
        return MessageDigest.isEqual(actual, p.hash);
    }

    /** True when {@code phc} was made with weaker parameters than these (or cannot be read). */
    public boolean needsRehash(String phc) {
        Phc p = Phc.parse(phc);
        return p == null || p.m < memoryKib || p.t < iterations || p.p < parallelism;
    }

    /** A guard, not a hope: hashing on an event-loop thread would stall every connection on it. */
    private static void refuseEventLoop() {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("Argon2id must not run on an event-loop thread");
        }
    }

    private record Phc(int m, int t, int p, byte[] salt, byte[] hash) {
        static Phc parse(String phc) {
            try {
                String[] parts = phc.split("\\$");
                // ["", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash]
                if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
                    return null;
                }
                int m = 0, t = 0, p = 0;
                for (String kv : parts[3].split(",")) {
                    String[] pair = kv.split("=", 2);
                    int v = Integer.parseInt(pair[1]);
                    switch (pair[0]) {
                        case "m" -> m = v;
                        case "t" -> t = v;
                        case "p" -> p = v;
                        default -> {
                            return null;
                        }
                    }
                }
                if (p < 1 || m < 8 * p || t < 1) { // the format's floors, which libargon2 enforces too
                    return null;
                }
                byte[] salt = B64D.decode(parts[4]);
                byte[] hash = B64D.decode(parts[5]);
                // A truncated record must never verify: a 0- or 1-byte "hash" would match almost anything.
                if (salt.length < MIN_SALT_BYTES || hash.length < MIN_HASH_BYTES) {
                    return null;
                }
                return new Phc(m, t, p, salt, hash);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
