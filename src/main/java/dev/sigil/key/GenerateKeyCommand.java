package dev.sigil.key;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code --generate-key [--dir DIR] [--activate-in PT15M | --activate-at 2026-12-01T00:00:00Z]}: writes the
 * next signing key, correctly named, and exits without starting the service (no database or Redis needed).
 */
public final class GenerateKeyCommand {

    public static final String FLAG = "--generate-key";

    private GenerateKeyCommand() {
    }

    /** {@code args[0]} is {@link #FLAG}. Exits the JVM: 0 when written, 2 for a usage error. */
    public static void run(String... args) throws Exception {
        String dir = System.getenv("SIGIL_KEYS_DIR");
        Instant activation = Instant.now().plus(Duration.parse(envOr("SIGIL_KEYS_ACTIVATION_LEAD", "PT15M")));
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--dir" -> dir = args[i + 1];
                case "--activate-in" -> activation = Instant.now().plus(Duration.parse(args[i + 1]));
                case "--activate-at" -> activation = Instant.parse(args[i + 1]);
                default -> usage("unknown option " + args[i]);
            }
        }
        if ((args.length - 1) % 2 != 0) {
            usage("every option needs a value");
        }
        if (dir == null) {
            usage("give --dir or set SIGIL_KEYS_DIR");
        }
        Instant at = activation.plusMillis(999).truncatedTo(ChronoUnit.SECONDS); // file names have whole seconds
        Path file = KeyFiles.generate(Path.of(dir), at);
        SigningKey key = KeyFiles.read(file, at);
        System.out.println("Wrote " + file + " (kid " + key.kid() + "), activating at " + at);
        System.exit(0);
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static void usage(String problem) {
        System.err.println("sigil --generate-key: " + problem + "\n"
                + "usage: --generate-key [--dir DIR] [--activate-in PT15M | --activate-at 2026-12-01T00:00:00Z]");
        System.exit(2);
    }
}
