package dev.sigil.prod;

import dev.sigil.support.TestServers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged service ({@code target/quarkus-app}) started as its own prod-mode process, as an operator runs it. */
final class ProdProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final int port;
    final Process process;
    final Path log;

    /** Also wraps a process started otherwise (DevModeIT's quarkus:dev) for the HTTP helpers. */
    ProdProcess(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    private static final String REFRESH_KEY = java.util.Base64.getEncoder().encodeToString(
            new java.security.SecureRandom().generateSeed(32));

    /** Starts {@code java -jar quarkus-run.jar args} with a clean Sigil/Quarkus environment plus {@code env}. */
    static ProdProcess start(int port, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("SIGIL_") || k.startsWith("QUARKUS_"));
        e.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        e.put("SIGIL_ISSUER", "http://localhost:" + port);
        // The servers of this test run (configured ones, or those this JVM started): prod mode starts none.
        e.put("QUARKUS_DATASOURCE_REACTIVE_URL", TestServers.postgresReactiveUrl());
        e.put("QUARKUS_DATASOURCE_JDBC_URL", TestServers.postgresJdbcUrl());
        e.put("QUARKUS_REDIS_HOSTS", TestServers.redisUrl());
        // Every test process logs in from 127.0.0.1: lift the per-address limit (the throttle has its own tests).
        e.put("SIGIL_RATE_LIMITS_PER_ADDRESS", "1000000");
        e.put("SIGIL_RATE_LIMITS_CLIENT_FAILURES_PER_ADDRESS", "1000000");
        // Prod refuses to start without the refresh token key; one per test JVM, shared by its processes (replicas).
        e.put("SIGIL_TOKENS_REFRESH_KEY", REFRESH_KEY);
        e.putAll(env);
        Path log = Files.createTempFile("sigil-prod-" + port + "-", ".log");
        return new ProdProcess(port, pb.redirectOutput(log.toFile()).start(), log);
    }


    /** Environment for a fresh bootstrap admin (a new admin role, so it is created on this run); see {@link #login}. */
    static Map<String, String> freshAdmin(String suffix) {
        return Map.of("SIGIL_ADMIN_ROLE", "itadmin" + suffix, "SIGIL_BOOTSTRAP_ADMIN_USERNAME", "it-" + suffix,
                "SIGIL_BOOTSTRAP_ADMIN_PASSWORD", "it-" + suffix + "-password");
    }

    static String login(String suffix) {
        return "{\"username\":\"it-" + suffix + "\",\"password\":\"it-" + suffix + "-password\"}";
    }

    static String randomSuffix() {
        return java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** Waits for readiness; fails with the log's location if the process dies or never gets ready. */
    ProdProcess awaitReady() throws Exception {
        for (int i = 0; i < 180; i++) {
            if (!process.isAlive()) {
                throw new AssertionError("process exited " + process.exitValue() + "; log: " + Files.readString(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url("/q/health/ready"))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not ready in 90 s; log at " + log);
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
