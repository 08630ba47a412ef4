package dev.sigil.prod;

import dev.sigil.key.KeyFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the packaged service ({@code target/quarkus-app}) in prod mode, as an operator would, after
 * {@code package}: it must refuse to start without keys and say what is missing, and start and
 * serve with them.
 */
class ProdStartupIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private static ProcessBuilder prod(int port, Map<String, String> extra) {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("SIGIL_") || k.startsWith("QUARKUS_"));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("SIGIL_ISSUER", "http://localhost:" + port);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:5432/test");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:5432/test");
        env.put("QUARKUS_REDIS_HOSTS", "redis://localhost:6379/1");
        env.putAll(extra);
        return pb;
    }

    @Test
    void prodRefusesToStartWithoutSigningKeysAndNamesTheSetting() throws Exception {
        Path log = Files.createTempFile("sigil-prod", ".log");
        Process p = prod(8086, Map.of()).redirectOutput(log.toFile()).start();
        try {
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("process exits").isTrue();
            assertThat(p.exitValue()).isNotZero();
            assertThat(Files.readString(log)).contains("sigil.keys.dir (environment variable SIGIL_KEYS_DIR) is not set");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void prodStartsWithAKeyDirectoryAndBecomesReady() throws Exception {
        Path keys = Files.createTempDirectory("sigil-keys");
        KeyFiles.generate(keys, Instant.now().minusSeconds(5));
        Path log = Files.createTempFile("sigil-prod", ".log");
        Process p = prod(8087, Map.of("SIGIL_KEYS_DIR", keys.toString())).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            int status = 0;
            for (int i = 0; i < 120 && status != 200; i++) {
                Thread.sleep(500);
                try {
                    status = http.send(HttpRequest.newBuilder(URI.create("http://localhost:8087/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException notYet) {
                    assertThat(p.isAlive()).as("prod process alive; log: %s", log).isTrue();
                }
            }
            assertThat(status).as("readiness; log at %s", log).isEqualTo(200);
            String jwks = http.send(HttpRequest.newBuilder(URI.create("http://localhost:8087/.well-known/jwks.json")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(jwks).contains("\"kty\":\"RSA\"").doesNotContain("\"d\"");
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }
}
