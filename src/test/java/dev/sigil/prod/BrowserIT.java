package dev.sigil.prod;

import dev.sigil.support.FreePorts;
import dev.sigil.support.TestServers;
import dev.sigil.support.TestSmtp;
import dev.sigil.key.KeyFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sigil-web.js, the demo page and cross-origin use in a real browser: Debian's Chromium driven by the
 * pinned playwright-core of src/test/browser (installed into target/browser-test with {@code npm ci}),
 * against a prod Sigil process on a random port with fresh keys. The checks themselves are in
 * src/test/browser/browser.test.mjs; the client's own unit tests in client.test.mjs. The signed-in
 * demo page is saved as target/browser-test/demo-signed-in.png.
 */
class BrowserIT {

    static final Path SOURCES = Path.of("src", "test", "browser");
    static final Path WORK = Path.of("target", "browser-test");
    static final Path CLIENT = Path.of("src", "main", "resources", "web", "sigil-web.js");

    @BeforeAll
    static void installPlaywright() throws Exception {
        Files.createDirectories(WORK);
        boolean lockUnchanged = Files.exists(WORK.resolve("package-lock.json"))
                && Files.mismatch(SOURCES.resolve("package-lock.json"), WORK.resolve("package-lock.json")) == -1;
        try (var files = Files.list(SOURCES)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, WORK.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!lockUnchanged || !Files.exists(WORK.resolve("node_modules/playwright-core/package.json"))) {
            // playwright-core never downloads a browser; the variable only makes sure of it.
            Run npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"), 300);
            assertThat(npm.exit).as("npm ci: " + npm.output).isZero();
        }
    }

    @Test
    void clientUnitTestsPass() throws Exception {
        Run node = run(List.of("node", "--test", "client.test.mjs"), Map.of("SIGIL_WEB_JS", CLIENT.toAbsolutePath().toString()), 60);
        assertThat(node.exit).as(node.output).isZero();
        assertThat(node.output).contains("# fail 0");
    }

    @Test
    void browserChecksPassInHeadlessChromium() throws Exception {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assertThat(Path.of(chromium)).as("Chromium (apt-get install chromium; .ci/run does)").isExecutable();
        Path keys = Files.createTempDirectory("sigil-keys");
        KeyFiles.generate(keys, Instant.now().minusSeconds(5));
        int[] ports = FreePorts.distinct(4);
        String suffix = ProdProcess.randomSuffix();
        Map<String, String> env = new HashMap<>(ProdProcess.freshAdmin(suffix));
        env.put("SIGIL_KEYS_DIR", keys.toString());
        env.put("SIGIL_WEB_DEMO_ENABLED", "true");
        env.put("SIGIL_WEB_ALLOWED_ORIGINS", "http://localhost:" + ports[1]);
        env.put("SIGIL_REGISTRATION_ENABLED", "true"); // a second user for the passkey checks
        Path screenshot = WORK.resolve("demo-signed-in.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);

        try (ProdProcess sigil = ProdProcess.start(ports[0], env).awaitReady()) {
            Run node = run(List.of("node", "browser.test.mjs"), Map.of(
                    "SIGIL_URL", sigil.url(""), "SIGIL_USER", "it-" + suffix, "SIGIL_PASSWORD", "it-" + suffix + "-password",
                    "APP_PORT", Integer.toString(ports[1]), "FOREIGN_PORT", Integer.toString(ports[2]),
                    "OTHER_PORT", Integer.toString(ports[3]),
                    "SCREENSHOT", screenshot.toString(), "CHROMIUM", chromium), 120);
            System.out.println(node.output);
            assertThat(node.exit).as(node.output + "\nSigil log: " + sigil.log).isZero();
            assertThat(node.output).contains("all browser checks passed").doesNotContain("not ok");
            // The cloned authenticator's refusal is audited as a possible clone.
            assertThat(Files.readAllLines(sigil.log)).filteredOn(l -> l.contains("passkey_clone_suspected"))
                    .hasSize(1).allMatch(l -> l.contains("refused"));
        }
        assertThat(Files.size(screenshot)).as("screenshot of the signed-in demo page").isGreaterThan(10_000);
    }

    /** #26: the reset page in Chromium, a scanner's GET and HEAD before the person's click (reset.test.mjs). */
    @Test
    void theResetPageWorksInChromiumAfterALinkScanner() throws Exception {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assertThat(Path.of(chromium)).as("Chromium (apt-get install chromium; .ci/run does)").isExecutable();
        Path keys = Files.createTempDirectory("sigil-keys");
        KeyFiles.generate(keys, Instant.now().minusSeconds(5));
        int port = FreePorts.one();
        TestSmtp.start();
        Map<String, String> env = new HashMap<>(Map.of("SIGIL_KEYS_DIR", keys.toString(),
                "QUARKUS_MAILER_HOST", "127.0.0.1", "QUARKUS_MAILER_PORT", Integer.toString(TestSmtp.PORT),
                "QUARKUS_MAILER_FROM", "sigil@browser.test", "QUARKUS_MAILER_START_TLS", "DISABLED",
                "SIGIL_MAIL_POLL_INTERVAL", "PT0.2S"));
        try (ProdProcess sigil = ProdProcess.start(port, env).awaitReady()) {
            String user = "reset-" + ProdProcess.randomSuffix();
            String email = user + "@mail.example.com";
            try (var c = java.sql.DriverManager.getConnection(TestServers.postgresJdbcUrl(), "postgres", "");
                 var ps = c.prepareStatement("insert into sigil.users (id, username, email, password_hash, created_at, updated_at, "
                         + "password_changed_at) values (?, ?, ?, 'not-a-hash', now(), now(), now())")) {
                ps.setObject(1, java.util.UUID.randomUUID());
                ps.setString(2, user);
                ps.setString(3, email);
                ps.executeUpdate();
            }
            assertThat(sigil.postJson("/password-reset", "{\"email\":\"" + email + "\"}").statusCode()).isEqualTo(202);
            String token = TestSmtp.token(TestSmtp.await(email, 1).get(0));
            Run node = run(List.of("node", "reset.test.mjs"), Map.of("SIGIL_URL", sigil.url(""), "RESET_USER", user,
                    "RESET_TOKEN", token, "CHROMIUM", chromium), 120);
            System.out.println(node.output);
            assertThat(node.exit).as(node.output + "\nSigil log: " + sigil.log).isZero();
            assertThat(node.output).contains("all reset checks passed");
        } finally {
            TestSmtp.stop();
        }
    }

    record Run(int exit, String output) {
    }

    static Run run(List<String> command, Map<String, String> env, int timeoutSeconds) throws Exception {
        Path log = Files.createTempFile(WORK.toAbsolutePath(), "run-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return new Run(-1, "timed out after " + timeoutSeconds + " s: " + command + "\n" + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log));
    }

}
