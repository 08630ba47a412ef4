package dev.sigil.support;

import dev.sigil.key.KeyFiles;
import dev.sigil.key.SigningKey;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Generates the test key directory at run time (no key is ever committed): an older key, retired a
 * minute ago but still published, and the active key. Tests sign their own tokens with them.
 */
public class TestKeys implements QuarkusTestResourceLifecycleManager {

    public static final Path DIR = Path.of("target", "test-keys").toAbsolutePath();

    @Override
    public Map<String, String> start() {
        try {
            if (Files.exists(DIR)) {
                try (Stream<Path> files = Files.walk(DIR)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Instant now = Instant.now();
            KeyFiles.generate(DIR, now.minusSeconds(3600));
            KeyFiles.generate(DIR, now.minusSeconds(60));
            return Map.of("sigil.keys.dir", DIR.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
    }

    /** Both keys, oldest first: [retired, active]. */
    public static List<SigningKey> keys() {
        try {
            return KeyFiles.load(DIR);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SigningKey active() {
        List<SigningKey> k = keys();
        return k.get(k.size() - 1);
    }

    public static SigningKey retired() {
        return keys().get(0);
    }
}
