package dev.sigil.prod;

import dev.sigil.support.FreePorts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Run it" on a machine with only a JDK and redis-server: {@code ./mvnw quarkus:dev} with no
 * datasource or Redis settings starts its own PostgreSQL and redis-server, serves a login and a refresh, and
 * leaves no process or port behind when stopped.
 */
class DevModeIT {

    @Test
    void devModeStartsItsOwnServersAndStopsThemAll() throws Exception {
        int port = FreePorts.one();
        String suffix = ProdProcess.randomSuffix();
        // Online: dev mode needs artifacts a verify run never resolves (quarkus-devui, ...). No debugger port (5005 may be taken).
        ProcessBuilder pb = new ProcessBuilder("./mvnw", "-B", "quarkus:dev", "-Ddebug=false").redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("SIGIL_") || k.startsWith("QUARKUS_") || k.startsWith("_TEST_")
                || k.startsWith("_DEV_"));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.putAll(ProdProcess.freshAdmin(suffix));
        Path log = Files.createTempFile("sigil-dev-" + port + "-", ".log");
        long started = System.nanoTime();
        Process mvn = pb.redirectOutput(log.toFile()).start();
        List<ProcessHandle> tree = new ArrayList<>();
        try {
            awaitReady(mvn, port, log);
            System.out.printf("DevModeIT: quarkus:dev ready in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            String text = Files.readString(log);
            int postgres = portIn(text, "Started PostgreSQL on 127\\.0\\.0\\.1:(\\d+)");
            int redis = portIn(text, "Started redis-server on 127\\.0\\.0\\.1:(\\d+)");
            assertThat(listening(postgres)).isTrue();
            assertThat(listening(redis)).isTrue();

            ProdProcess dev = new ProdProcess(port, mvn, log);
            HttpResponse<String> login = dev.postJson("/login", ProdProcess.login(suffix));
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            assertThat(login.body()).contains("access_token");
            String cookie = cookieOf(login);
            HttpResponse<String> refreshed = ProdProcess.HTTP.send(HttpRequest.newBuilder(URI.create(dev.url("/refresh-token")))
                    .header("Cookie", COOKIE + "=" + cookie).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
            assertThat(refreshed.body()).contains("access_token");
            assertThat(cookieOf(refreshed)).isNotEqualTo(cookie);

            tree.add(mvn.toHandle());
            mvn.descendants().forEach(tree::add);
            stopTree(tree);
            for (int p : new int[] {port, postgres, redis}) {
                awaitClosed(p);
            }
            assertThat(tree.stream().filter(ProcessHandle::isAlive).map(h -> h.pid() + " " + h.info().commandLine().orElse("")))
                    .as("processes left behind").isEmpty();
        } finally {
            mvn.descendants().forEach(ProcessHandle::destroyForcibly);
            mvn.destroyForcibly();
        }
    }

    /** Dev mode's cookie: plain http, no __Secure- prefix (application.properties). */
    private static final String COOKIE = "refresh_token";

    private static String cookieOf(HttpResponse<String> r) {
        List<String> set = r.headers().allValues("Set-Cookie");
        return set.stream().filter(c -> c.startsWith(COOKIE + "=")).map(c -> c.substring(COOKIE.length() + 1, c.indexOf(';')))
                .findFirst().orElseThrow(() -> new AssertionError("no " + COOKIE + " cookie in " + set));
    }

    private static void awaitReady(Process mvn, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            if (!mvn.isAlive()) {
                throw new AssertionError("quarkus:dev exited " + mvn.exitValue() + "; log: " + Files.readString(log));
            }
            try {
                if (ProdProcess.HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("quarkus:dev not ready in 4 minutes; log at " + log);
    }

    /** SIGTERM to Maven and everything under it (the dev-mode JVM stops its servers in its shutdown hooks). */
    private static void stopTree(List<ProcessHandle> tree) throws InterruptedException {
        for (int i = tree.size() - 1; i >= 0; i--) {
            tree.get(i).destroy();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static void awaitClosed(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (listening(port) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(listening(port)).as("port %d still open", port).isFalse();
    }

    private static int portIn(String log, String regex) {
        Matcher m = Pattern.compile(regex).matcher(log);
        assertThat(m.find()).as("log line /%s/", regex).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
