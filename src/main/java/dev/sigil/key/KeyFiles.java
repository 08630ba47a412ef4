package dev.sigil.key;

import io.quarkus.logging.Log;
import org.jose4j.jwk.RsaJsonWebKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads and writes the key directory. A key file is a PKCS#8 PEM RSA private key (as written by
 * {@code openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048}) named after the instant it
 * starts signing, in UTC: {@code 20261128T120000Z.pem}.
 */
public final class KeyFiles {

    public static final int MIN_BITS = 2048;
    /** PKCS#8 PEM armour, assembled so that no source line looks like committed key material to scanners. */
    static final String PEM_BEGIN = "-----BEGIN " + "PRIVATE KEY-----";
    static final String PEM_END = "-----END " + "PRIVATE KEY-----";
    static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private KeyFiles() {
    }

    /**
     * What a read of the key directory found: the usable keys (oldest activation first), the files that
     * were skipped with the reason for each (never their content), and the key files that the group or
     * others may read (they are still used; the permissions are the operator's to fix).
     */
    public record Scan(List<SigningKey> keys, Map<String, String> skipped, List<String> exposed) {
        public Scan {
            keys = List.copyOf(keys);
            skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
            exposed = List.copyOf(exposed);
        }
    }

    /** The usable keys in {@code dir}, oldest activation first; bad files are left out (see {@link #scan}). */
    public static List<SigningKey> load(Path dir) throws IOException {
        return scan(dir).keys();
    }

    /**
     * Reads every {@code <activation>.pem} in {@code dir}. One unreadable, malformed or weak file is
     * skipped rather than failing the whole directory, so the valid keys beside it are still published.
     * Only listing the directory itself can fail.
     */
    public static Scan scan(Path dir) throws IOException {
        List<SigningKey> keys = new ArrayList<>();
        Map<String, String> skipped = new TreeMap<>();
        List<String> exposed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return new Scan(keys, skipped, exposed);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".pem")) {
                    continue;
                }
                Instant activation;
                try {
                    activation = NAME.parse(name.substring(0, name.length() - 4), Instant::from);
                } catch (DateTimeParseException e) {
                    Log.warnf("Ignoring key file %s: its name is not an activation instant like 20261128T120000Z.pem", name);
                    continue;
                }
                try {
                    keys.add(read(file, activation));
                } catch (IOException e) {
                    // The exception's type, never its message: some readers quote what they could not parse.
                    skipped.put(name, "could not be read (" + e.getClass().getSimpleName() + ")");
                    continue;
                } catch (RuntimeException e) {
                    skipped.put(name, e instanceof IllegalStateException ? e.getMessage()
                            : "could not be read as an RSA private key (" + e.getClass().getSimpleName() + ")");
                    continue;
                }
                if (readableByOthers(file)) {
                    exposed.add(name);
                }
            }
        }
        keys.sort(Comparator.comparing(SigningKey::activatesAt));
        return new Scan(keys, skipped, exposed);
    }

    /** Whether the group or others may read {@code file}; false where the file system has no POSIX permissions. */
    static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }

    public static SigningKey read(Path file, Instant activation) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        if (!pem.contains(PEM_BEGIN)) {
            throw new IllegalStateException("Key file " + file + " is not a PKCS#8 PEM private key (" + PEM_BEGIN + "); "
                    + "convert it with: openssl pkcs8 -topk8 -nocrypt -in old.pem -out " + file.getFileName());
        }
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            KeyFactory rsa = CryptoProviders.rsaKeyFactory();
            PrivateKey key = rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
            if (!(key instanceof RSAPrivateCrtKey crt)) {
                throw new IllegalStateException("Key file " + file + " is not an RSA private key with CRT parameters");
            }
            if (crt.getModulus().bitLength() < MIN_BITS) {
                throw new IllegalStateException("Key file " + file + " holds a " + crt.getModulus().bitLength()
                        + "-bit RSA key; at least " + MIN_BITS + " bits are required");
            }
            RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return new SigningKey(thumbprint(pub), activation, crt, pub);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Key file " + file + " could not be read as an RSA private key: " + e.getClass().getSimpleName());
        }
    }

    /** RFC 7638 SHA-256 JWK thumbprint, base64url: the {@code kid}. */
    static String thumbprint(RSAPublicKey key) {
        return new RsaJsonWebKey(key).calculateBase64urlEncodedThumbprint("SHA-256");
    }

    /** Generates a 2048-bit key that activates at {@code activation} into {@code dir}; returns its path. */
    public static Path generate(Path dir, Instant activation) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(MIN_BITS);
        byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
        String pem = PEM_BEGIN + "\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n" + PEM_END + "\n";
        Path file = dir.resolve(NAME.format(activation) + ".pem");
        Path tmp = Files.createTempFile(dir, ".key", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: rely on the directory's permissions
        }
        Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
        // Written under a temporary name, then renamed: a reader never sees half a key.
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
