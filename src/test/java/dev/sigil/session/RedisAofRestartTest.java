package dev.sigil.session;

import dev.sigil.support.Poll;
import dev.sigil.support.Api;
import dev.sigil.support.InjectOwnRedis;
import dev.sigil.support.OwnRedis;
import dev.sigil.support.RedisProcess;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
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
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OwnRedis.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RedisAofRestartTest {

    static final int CHAINS = 8;
    @InjectOwnRedis
    RedisProcess redis;





    @Test
    void everyAcknowledgedRotationSurvivesARedisRestartWithAof() throws Exception {
        redis.start();
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
        redis.stop(); // SIGKILL; requests in flight get 503
        stop.set(true);
        CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).get();

        redis.start(); // replays the AOF
        for (int i = 0; i < CHAINS; i++) {
            Response r = Api.refresh(held.get(i));
            assertThat(r.statusCode()).as("chain %d after the restart: %s", i, r.asString()).isEqualTo(200);
        }
    }
}
