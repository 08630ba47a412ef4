package dev.sigil;

import dev.sigil.key.CryptoProviders;
import dev.sigil.key.GenerateKeyCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The service's entry point: starts Sigil, or with {@code --generate-key} writes the next signing key
 * and exits without starting anything (see {@link GenerateKeyCommand}).
 */
@QuarkusMain
public final class SigilMain {

    public static void main(String... args) throws Exception {
        if (args.length > 0 && args[0].equals(GenerateKeyCommand.FLAG)) {
            GenerateKeyCommand.run(args);
            return;
        }
        CryptoProviders.preload();
        Quarkus.run(args);
    }
}
