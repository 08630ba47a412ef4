package dev.sigil.prod;

import dev.sigil.support.FreePorts;
import dev.sigil.key.KeyFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Sigil processes on one key directory switch signing keys at the same instant, without talking
 * to each other: every token issued before the activation second carries the old kid, every token
 * from then on the new one, on both.
 */
class TwoInstancesIT {

    private static String kidOf(String loginBody) {
        String token = loginBody.replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
        return header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
    }

    private static long iatOf(String loginBody) {
        String token = loginBody.replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        return Long.parseLong(payload.replaceAll(".*\"iat\":(\\d+).*", "$1"));
    }

    @Test
    void twoInstancesOnOneKeyDirectorySwitchKeysAtTheSameInstant() throws Exception {
        Path keys = Files.createTempDirectory("sigil-keys");
        String oldKid = KeyFiles.read(KeyFiles.generate(keys, Instant.now().minusSeconds(60)), Instant.now()).kid();
        String suffix = ProdProcess.randomSuffix();
        // A fresh admin role means both replicas race to bootstrap the same new admin: exactly one creates it.
        Map<String, String> env = new HashMap<>(ProdProcess.freshAdmin(suffix));
        env.putAll(Map.of("SIGIL_KEYS_DIR", keys.toString(), "SIGIL_KEYS_RELOAD_INTERVAL", "PT1S",
                "SIGIL_KEYS_JWKS_MAX_AGE", "PT1S", "SIGIL_KEYS_ACTIVATION_LEAD", "PT2S"));
        String login = ProdProcess.login(suffix);

        int portA = FreePorts.one();
        int portB = FreePorts.one();
        try (ProdProcess a = ProdProcess.start(portA, withIssuer(env, portA));
             ProdProcess b = ProdProcess.start(portB, withIssuer(env, portB))) {
            a.awaitReady();
            b.awaitReady();
            // Generous notice: both replicas must have re-read the directory (every 1 s) before the instant, even on a busy machine.
            Instant activation = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
            String newKid = KeyFiles.read(KeyFiles.generate(keys, activation), activation).kid();

            int before = 0;
            int after = 0;
            while (Instant.now().isBefore(activation.plusSeconds(2))) {
                for (ProdProcess p : new ProdProcess[] {a, b}) {
                    var r = p.postJson("/login", login);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    boolean issuedBefore = iatOf(r.body()) < activation.getEpochSecond();
                    assertThat(kidOf(r.body())).as("instance on port %d", p.port).isEqualTo(issuedBefore ? oldKid : newKid);
                    if (issuedBefore) {
                        before++;
                    } else {
                        after++;
                    }
                }
            }
            assertThat(before).isPositive();
            assertThat(after).isPositive();
            assertThat(a.get("/.well-known/jwks.json").body()).isEqualTo(b.get("/.well-known/jwks.json").body());
        }
    }

    private static Map<String, String> withIssuer(Map<String, String> env, int port) {
        Map<String, String> e = new HashMap<>(env);
        e.put("SIGIL_ISSUER", "http://localhost:" + port);
        return e;
    }
}
