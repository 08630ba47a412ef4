package dev.sigil.redis;

import dev.sigil.support.UnitTest;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CommandBatcher on the real test Redis (TestServers), without booting Sigil: what goes out as one batch,
 * where each caller resumes, and what a caller gets when another command of its batch fails.
 */
@UnitTest
class CommandBatcherTest {

    private static Vertx vertx;
    private static Redis redis;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CommandBatcher batcher = new CommandBatcher(redis, true, registry);
    private final String prefix = "batcher-test:" + UUID.randomUUID() + ":";

    @BeforeAll
    static void connect() {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, dev.sigil.support.TestServers.redisUrl());
    }

    @AfterAll
    static void close() {
        redis.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** The batches sent so far: how many, and how many commands they held. */
    private DistributionSummary batches() {
        return registry.get("sigil.redis.batch.commands").summary();
    }

    private record Sent(List<Future<Response>> replies, ConcurrentLinkedQueue<Boolean> resumedOnOwnContext) {
    }

    /**
     * Sends {@code requests} from one task of an event loop, as concurrent HTTP requests do: each from a
     * context of its own (Vert.x duplicates one per request), and records whether each reply was handled
     * on the context that sent it.
     */
    private Sent inOneTurn(CommandBatcher b, List<Request> requests) throws Exception {
        ContextInternal loop = (ContextInternal) vertx.getOrCreateContext();
        CompletableFuture<List<Future<Response>>> sent = new CompletableFuture<>();
        ConcurrentLinkedQueue<Boolean> resumed = new ConcurrentLinkedQueue<>();
        loop.runOnContext(v -> {
            List<Future<Response>> replies = new ArrayList<>();
            for (Request r : requests) {
                ContextInternal own = loop.duplicate();
                own.dispatch(() -> {
                    Future<Response> reply = b.send(r);
                    reply.onComplete(ar -> resumed.add(ContextInternal.current() == own));
                    replies.add(reply);
                });
            }
            sent.complete(replies);
        });
        return new Sent(sent.get(10, TimeUnit.SECONDS), resumed);
    }

    private static Response await(Future<Response> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static List<Request> echoes(int n) {
        return IntStream.range(0, n).mapToObj(i -> Request.cmd(io.vertx.redis.client.Command.ECHO).arg("m" + i)).toList();
    }

    @Test
    void commandsOfOneTurnGoOutAsOneBatchAndEachCallerResumesOnItsOwnContext() throws Exception {
        Sent sent = inOneTurn(batcher, echoes(10));
        for (int i = 0; i < 10; i++) {
            assertThat(await(sent.replies().get(i)).toString()).isEqualTo("m" + i);
        }
        assertThat(batches().count()).isEqualTo(1);
        assertThat(batches().totalAmount()).isEqualTo(10);
        assertThat(sent.resumedOnOwnContext()).hasSize(10).containsOnly(true);
    }

    @Test
    void aBatchHoldsAtMostMaxBatchCommands() throws Exception {
        int n = CommandBatcher.MAX_BATCH * 2 + 22;
        Sent sent = inOneTurn(batcher, echoes(n));
        for (int i = 0; i < n; i++) {
            assertThat(await(sent.replies().get(i)).toString()).isEqualTo("m" + i);
        }
        assertThat(batches().count()).isEqualTo(3);
        assertThat(batches().max()).isEqualTo(CommandBatcher.MAX_BATCH);
        assertThat(batches().totalAmount()).isEqualTo(n);
    }

    @Test
    void whenOneCommandFailsTheOthersOfItsBatchStillGetTheirReplies() throws Exception {
        String key = prefix + "text";
        await(redis.send(Request.cmd(io.vertx.redis.client.Command.SET).arg(key).arg("abc").arg("PX").arg("60000")));
        Sent sent = inOneTurn(batcher, List.of(
                Request.cmd(io.vertx.redis.client.Command.GET).arg(key),
                Request.cmd(io.vertx.redis.client.Command.INCR).arg(key), // not an integer: an error reply
                Request.cmd(io.vertx.redis.client.Command.ECHO).arg("after")));
        assertThat(await(sent.replies().get(0)).toString()).isEqualTo("abc");
        assertThatThrownBy(() -> await(sent.replies().get(1))).isInstanceOf(ExecutionException.class)
                .cause().hasMessageContaining("not an integer").hasMessageNotContaining("[1]");
        assertThat(await(sent.replies().get(2)).toString()).isEqualTo("after");
        assertThat(batches().count()).isEqualTo(1); // sent as one batch, then resent one by one
        assertThat(sent.resumedOnOwnContext()).hasSize(3).containsOnly(true);
    }

    @Test
    void aCommandSentOffTheEventLoopGoesOutAlone() throws Exception {
        assertThat(await(batcher.send(Request.cmd(io.vertx.redis.client.Command.ECHO).arg("alone"))).toString()).isEqualTo("alone");
        assertThat(batches().count()).isZero();
    }

    @Test
    void withoutBatching_onACluster_eachCommandGoesOutAlone() throws Exception {
        Sent sent = inOneTurn(new CommandBatcher(redis, false, registry), echoes(5));
        for (int i = 0; i < 5; i++) {
            assertThat(await(sent.replies().get(i)).toString()).isEqualTo("m" + i);
        }
        assertThat(batches().count()).isZero();
    }

    @Test
    void theUniSendsOnlyWhenSubscribedTo() {
        String key = prefix + "count";
        var incr = batcher.execute(Command.INCR, key);
        assertThat(batcher.execute(Command.GET, key).await().atMost(java.time.Duration.ofSeconds(10))).isNull();
        assertThat(incr.await().atMost(java.time.Duration.ofSeconds(10)).toLong()).isEqualTo(1);
        batcher.execute(Command.PEXPIRE, key, "60000").await().atMost(java.time.Duration.ofSeconds(10));
    }
}
