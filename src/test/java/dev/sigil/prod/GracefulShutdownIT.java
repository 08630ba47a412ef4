package dev.sigil.prod;

import dev.sigil.support.FreePorts;
import dev.sigil.key.KeyFiles;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM lets an in-flight login finish before the process exits. */
class GracefulShutdownIT {

    @Test
    void anInFlightLoginCompletesDuringGracefulShutdown() throws Exception {
        Path keys = Files.createTempDirectory("sigil-keys");
        KeyFiles.generate(keys, Instant.now().minusSeconds(5));
        String suffix = ProdProcess.randomSuffix();
        Map<String, String> env = new HashMap<>(ProdProcess.freshAdmin(suffix));
        env.put("SIGIL_KEYS_DIR", keys.toString());
        // A deliberately slow hash (about a second) keeps the login in flight while the signal arrives.
        env.put("SIGIL_PASSWORDS_ITERATIONS", "40");
        try (ProdProcess p = ProdProcess.start(FreePorts.one(), env).awaitReady()) {
            CompletableFuture<HttpResponse<String>> login = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.postJson("/login", ProdProcess.login(suffix));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Poll (with a deadline) until the server reports the hash in flight, instead of sleeping and hoping.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!p.get("/q/metrics").body().matches("(?s).*\\nsigil_password_in_flight(\\{[^}]*\\})? [1-9].*")) {
                assertThat(System.nanoTime()).as("login never reached the password hash").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(login).isNotDone();
            p.process.destroy(); // SIGTERM
            HttpResponse<String> answer = login.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("access_token");
            assertThat(p.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(p.log)).contains("stopped in");
        }
    }
}
