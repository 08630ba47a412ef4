package dev.sigil.key;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Reading the key directory, driven with a temporary directory: no Quarkus. */
@UnitTest
class KeyFilesTest {

    private static final Instant T = Instant.parse("2026-11-01T00:00:00Z");

    private static void pem(Path file, byte[] der) throws Exception {
        Files.writeString(file, KeyFiles.PEM_BEGIN + "\n" + Base64.getMimeEncoder().encodeToString(der) + "\n" + KeyFiles.PEM_END + "\n",
                StandardCharsets.US_ASCII);
    }

    @Test
    void aBadFileIsSkippedAndTheValidKeysBesideItAreStillLoaded(@TempDir Path dir) throws Exception {
        SigningKey older = KeyFiles.read(KeyFiles.generate(dir, T), T);
        SigningKey newer = KeyFiles.read(KeyFiles.generate(dir, T.plusSeconds(3600)), T.plusSeconds(3600));
        Files.writeString(dir.resolve("20261101T000001Z.pem"), "SECRET-LOOKING-GARBAGE\n");
        KeyPairGenerator weak = KeyPairGenerator.getInstance("RSA");
        weak.initialize(1024);
        pem(dir.resolve("20261101T000002Z.pem"), weak.generateKeyPair().getPrivate().getEncoded());
        pem(dir.resolve("20261101T000003Z.pem"), new byte[] {1, 2, 3});

        KeyFiles.Scan scan = KeyFiles.scan(dir);

        assertThat(scan.keys()).extracting(SigningKey::kid).containsExactly(older.kid(), newer.kid());
        assertThat(scan.skipped()).containsOnlyKeys("20261101T000001Z.pem", "20261101T000002Z.pem", "20261101T000003Z.pem");
        assertThat(scan.skipped().get("20261101T000002Z.pem")).contains("1024-bit");
        // A reason names the problem, never the file's content.
        assertThat(scan.skipped().values()).noneMatch(reason -> reason.contains("SECRET-LOOKING-GARBAGE"));
        assertThat(KeyFiles.load(dir)).extracting(SigningKey::kid).containsExactly(older.kid(), newer.kid());
    }

    @Test
    void keyFilesReadableByGroupOrOthersAreReported(@TempDir Path dir) throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path tight = KeyFiles.generate(dir, T);
        Path groupReadable = KeyFiles.generate(dir, T.plusSeconds(1));
        Path worldReadable = KeyFiles.generate(dir, T.plusSeconds(2));
        Files.setPosixFilePermissions(groupReadable, PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(worldReadable, PosixFilePermissions.fromString("rw----r--"));

        KeyFiles.Scan scan = KeyFiles.scan(dir);

        assertThat(scan.keys()).hasSize(3); // still used: a warning, not a refusal
        assertThat(scan.exposed()).containsExactlyInAnyOrder(groupReadable.getFileName().toString(),
                worldReadable.getFileName().toString());
        assertThat(scan.exposed()).doesNotContain(tight.getFileName().toString());
    }

    @Test
    void anEmptyOrMissingDirectoryHasNoKeysAndNoProblems(@TempDir Path dir) throws Exception {
        assertThat(KeyFiles.scan(dir.resolve("absent")).keys()).isEmpty();
        KeyFiles.Scan scan = KeyFiles.scan(dir);
        assertThat(scan.keys()).isEmpty();
        assertThat(scan.skipped()).isEmpty();
        assertThat(scan.exposed()).isEmpty();
    }
}
