package dev.sigil.password;

import de.mkammerer.argon2.jna.Argon2Library;
import de.mkammerer.argon2.jna.JnaUint32;
import de.mkammerer.argon2.jna.Size_t;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The raw Argon2id function (version 0x13): password and salt in, tag of {@code length} bytes out.
 * Two implementations compute the same bytes: the reference C implementation ({@code libargon2}, bundled by
 * argon2-jvm and called through JNA), which is faster and allocates its 19 MiB outside the Java heap, and
 * Bouncy Castle's pure Java one, the fallback wherever the native library does not load (a native image,
 * a platform argon2-jvm has no build for) or is switched off ({@code sigil.passwords.native=false}).
 */
public sealed interface Argon2Engine {

    /** A short name for the start-up log and the metrics. */
    String name();

    byte[] compute(byte[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length);

    static Argon2Engine bouncyCastle() {
        return BouncyCastle.INSTANCE;
    }

    /**
     * The native implementation, if libargon2 loads here and computes what Bouncy Castle computes
     * (checked once on a small input, so a broken or foreign library is never trusted with real hashes).
     */
    static Optional<Argon2Engine> loadNative() {
        if (System.getProperty("org.graalvm.nativeimage.imagecode") != null) {
            return Optional.empty(); // a native image has no JNA
        }
        try {
            Argon2Engine n = new Native(Argon2Library.INSTANCE);
            byte[] password = "sigil self-test".getBytes(StandardCharsets.UTF_8);
            byte[] salt = "sixteen byte slt".getBytes(StandardCharsets.UTF_8);
            byte[] expected = BouncyCastle.INSTANCE.compute(password, salt, 64, 2, 1, 32);
            return Arrays.equals(n.compute(password, salt, 64, 2, 1, 32), expected) ? Optional.of(n) : Optional.empty();
        } catch (LinkageError | RuntimeException e) {
            return Optional.empty(); // no libargon2 for this platform, or JNA itself does not load
        }
    }

    /** The native implementation when {@code nativeWanted} and it loads, Bouncy Castle otherwise. */
    static Argon2Engine select(boolean nativeWanted) {
        return nativeWanted ? loadNative().orElse(BouncyCastle.INSTANCE) : BouncyCastle.INSTANCE;
    }

    /** Pure Java; allocates the whole memory cost on the heap for every hash. */
    final class BouncyCastle implements Argon2Engine {
        static final BouncyCastle INSTANCE = new BouncyCastle();

        private BouncyCastle() {
        }

        @Override
        public String name() {
            return "bouncy-castle";
        }

        @Override
        public byte[] compute(byte[] password, byte[] salt, int m, int t, int p, int length) {
            Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withMemoryAsKB(m).withIterations(t).withParallelism(p).withSalt(salt).build();
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(params);
            byte[] out = new byte[length];
            generator.generateBytes(password, out);
            return out;
        }
    }

    /** libargon2's {@code argon2id_hash_raw}: the memory is malloc'd and freed by C, not the Java heap. */
    final class Native implements Argon2Engine {
        private final Argon2Library lib;

        private Native(Argon2Library lib) {
            this.lib = lib;
        }

        @Override
        public String name() {
            return "native";
        }

        @Override
        public byte[] compute(byte[] password, byte[] salt, int m, int t, int p, int length) {
            byte[] out = new byte[length];
            int rc = lib.argon2id_hash_raw(new JnaUint32(t), new JnaUint32(m), new JnaUint32(p),
                    password, new Size_t(password.length), salt, new Size_t(salt.length), out, new Size_t(length));
            if (rc != Argon2Library.ARGON2_OK) {
                // The parameters come from our own config or a parsed PHC string; a refusal is a bug or exhausted memory.
                throw new IllegalStateException("libargon2 refused the hash: " + lib.argon2_error_message(rc));
            }
            return out;
        }
    }
}
