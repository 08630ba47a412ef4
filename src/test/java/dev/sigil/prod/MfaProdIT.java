package dev.sigil.prod;

import dev.sigil.support.FreePorts;
import dev.sigil.key.KeyFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged service in prod mode refuses MFA without the key that encrypts TOTP secrets. */
class MfaProdIT {

    @Test
    void prodRefusesMfaWithoutAnEncryptionKeyAndNamesTheSetting() throws Exception {
        Path keys = Files.createTempDirectory("sigil-keys");
        KeyFiles.generate(keys, Instant.now().minusSeconds(5));
        try (ProdProcess p = ProdProcess.start(FreePorts.one(), Map.of("SIGIL_KEYS_DIR", keys.toString(),
                "SIGIL_MFA_ENABLED", "true"))) {
            assertThat(p.process.waitFor(90, TimeUnit.SECONDS)).as("process exits").isTrue();
            assertThat(p.process.exitValue()).isNotZero();
            assertThat(Files.readString(p.log)).contains("sigil.mfa.enabled=true requires sigil.mfa.encryption-key (SIGIL_MFA_ENCRYPTION_KEY");
        }
    }
}
