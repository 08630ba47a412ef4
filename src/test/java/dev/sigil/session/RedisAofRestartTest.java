package dev.sigil.session;

import dev.sigil.support.Poll;
import dev.sigil.support.Api;
import dev.sigil.support.RedisProcess;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A standalone Redis with AOF ({@code appendonly yes}, {@code appendfsync always}) is SIGKILLed under
 * refresh load and restarted from its files (issue 12): every refresh token that was acknowledged
 * (a 200 reached the client) before the stop still refreshes afterwards. This test's own redis-server
 * on a free port, never the shared one.
 */
@QuarkusTest
@TestProfile(RedisAofRestartTest.OwnRedis.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class RedisAofRestartTest {

    static final int CHAINS = 8;
    static final RedisProcess REDIS = new RedisProcess(freePort(), tempDir());

    public static class OwnRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            REDIS.start();
            String url = "redis://127.0.0.1:" + REDIS.port();
            return Map.of("quarkus.redis.hosts", url, "%test.quarkus.redis.hosts", url);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("sigil-aof");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    @Test
    void everyAcknowledgedRotationSurvivesARedisRestartWithAof() throws Exception {
        REDIS.start();
        AtomicReferenceArray<String> held = new AtomicReferenceArray<>(CHAINS);
        for (int i = 0; i < CHAINS; i++) {
            held.set(i, Api.refreshCookie(Api.loggedIn(TestUsers.create())));
        }
        AtomicBoolean stop = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger rotated = new java.util.concurrent.atomic.AtomicInteger();
        List<CompletableFuture<Void>> chains = new ArrayList<>();
        for (int i = 0; i < CHAINS; i++) {
            int chain = i;
            chains.add(CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    Response r = Api.refresh(held.get(chain));
                    if (r.statusCode() == 200) {
                        held.set(chain, Api.refreshCookie(r)); // acknowledged: this is the token the client now holds
                        rotated.incrementAndGet();
                    } else {
                        assertThat(r.statusCode()).as(r.asString()).isEqualTo(503);
                    }
                }
            }));
        }
        // Crash under load: once every chain has had a few rotations acknowledged (polled, with a deadline).
        Poll.until("rotations before the crash", java.time.Duration.ofSeconds(60), java.time.Duration.ofMillis(10), () -> rotated.get() >= CHAINS * 3);
        REDIS.stop(); // SIGKILL; requests in flight get 503
        stop.set(true);
        CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).get();

        REDIS.start(); // replays the AOF
        for (int i = 0; i < CHAINS; i++) {
            Response r = Api.refresh(held.get(i));
            assertThat(r.statusCode()).as("chain %d after the restart: %s", i, r.asString()).isEqualTo(200);
        }
    }
}
