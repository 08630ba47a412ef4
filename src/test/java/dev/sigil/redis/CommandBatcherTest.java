package dev.sigil.redis;

import dev.sigil.support.UnitTest;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
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
 * where each caller resumes, what a caller gets when another command of its batch fails, and that reads
 * never wait behind scripts. Two clients of that Redis stand for the default client and the reads' one.
 */
@UnitTest
class CommandBatcherTest {

    private static Vertx vertx;
    private static Redis redis;
    private static Redis reads;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CommandBatcher batcher = new CommandBatcher(redis, reads, true, registry);
    private final String prefix = "batcher-test:" + UUID.randomUUID() + ":";

    @BeforeAll
    static void connect() {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, dev.sigil.support.TestServers.redisUrl());
        reads = Redis.createClient(vertx, dev.sigil.support.TestServers.redisUrl());
    }

    @AfterAll
    static void close() {
        redis.close();
        reads.close();
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
     * context of its own (Vert.x duplicates one per request), through the lane of its {@code lanes} entry
     * (the reads' when null), and records whether each reply was handled on the context that sent it.
     */
    private Sent inOneTurn(CommandBatcher b, List<Request> requests) throws Exception {
        return inOneTurn(requests.stream().map(r -> b.reads).toList(), requests);
    }

    private Sent inOneTurn(List<CommandBatcher.Lane> lanes, List<Request> requests) throws Exception {
        Context loop = vertx.getOrCreateContext();
        CompletableFuture<List<Future<Response>>> sent = new CompletableFuture<>();
        ConcurrentLinkedQueue<Boolean> resumed = new ConcurrentLinkedQueue<>();
        loop.runOnContext(v -> {
            List<CompletableFuture<Future<Response>>> replies = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                Request r = requests.get(i);
                CommandBatcher.Lane lane = lanes.get(i);
                Context own = VertxContext.createNewDuplicatedContext(loop);
                CompletableFuture<Future<Response>> reply = new CompletableFuture<>();
                replies.add(reply);
                // Queued in this turn, ahead of the batcher's flush, which the first send queues after them.
                own.runOnContext(x -> {
                    Future<Response> f = lane.send(r);
                    f.onComplete(ar -> resumed.add(Vertx.currentContext() == own));
                    reply.complete(f);
                });
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                    .thenRun(() -> sent.complete(replies.stream().map(CompletableFuture::join).toList()));
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
        assertThat(await(batcher.reads.send(Request.cmd(io.vertx.redis.client.Command.ECHO).arg("alone"))).toString()).isEqualTo("alone");
        assertThat(await(batcher.scripts.send(Request.cmd(io.vertx.redis.client.Command.ECHO).arg("alone"))).toString()).isEqualTo("alone");
        assertThat(batches().count()).isZero();
    }

    @Test
    void withBatchingOffEachCommandGoesOutAlone() throws Exception {
        CommandBatcher off = new CommandBatcher(redis, reads, false, registry);
        List<Request> requests = echoes(6);
        Sent sent = inOneTurn(requests.stream().map(r -> requests.indexOf(r) % 2 == 0 ? off.reads : off.scripts).toList(), requests);
        for (int i = 0; i < 6; i++) {
            assertThat(await(sent.replies().get(i)).toString()).isEqualTo("m" + i);
        }
        assertThat(batches().count()).isZero();
        assertThat(sent.resumedOnOwnContext()).hasSize(6).containsOnly(true);
    }

    @Test
    void batchingIsOnUnlessTurnedOffOrOnACluster() {
        assertThat(CommandBatcher.batches(true, "standalone")).isTrue();
        assertThat(CommandBatcher.batches(true, "sentinel")).isTrue();
        assertThat(CommandBatcher.batches(false, "standalone")).isFalse();
        assertThat(CommandBatcher.batches(true, "CLUSTER")).isFalse();
    }

    /**
     * Issue 30, finding 8: a read of the same turn as a script must not share its batch (its connection). Under
     * {@code CLIENT PAUSE ... WRITE} Redis holds the script, and everything queued behind it on its connection,
     * until the pause ends; the read, over the reads' client, is answered meanwhile.
     */
    @Test
    void aReadOfTheSameTurnIsAnsweredWhileAWritePauseHoldsAScript() throws Exception {
        String key = prefix + "paused";
        dev.sigil.support.RedisWire wire = dev.sigil.support.TestServers.redis();
        await(redis.send(Request.cmd(io.vertx.redis.client.Command.SET).arg(key).arg("before").arg("PX").arg("60000")));
        wire.call("CLIENT", "PAUSE", "30000", "WRITE");
        try {
            Sent sent = inOneTurn(List.of(batcher.scripts, batcher.reads, batcher.scripts), List.of(
                    Request.cmd(io.vertx.redis.client.Command.EVAL).arg("return redis.call('SET', KEYS[1], 'after')").arg(1).arg(key),
                    Request.cmd(io.vertx.redis.client.Command.GET).arg(key),
                    Request.cmd(io.vertx.redis.client.Command.ECHO).arg("behind the script")));
            assertThat(await(sent.replies().get(1)).toString()).isEqualTo("before");
            assertThat(sent.replies().get(0).isComplete()).as("the script, held by the pause").isFalse();
            assertThat(sent.replies().get(2).isComplete()).as("a command batched behind the script").isFalse();
            wire.call("CLIENT", "UNPAUSE");
            assertThat(await(sent.replies().get(0)).toString()).isEqualTo("OK");
            assertThat(await(sent.replies().get(2)).toString()).isEqualTo("behind the script");
        } finally {
            wire.call("CLIENT", "UNPAUSE");
        }
        assertThat(batches().count()).isEqualTo(2); // the reads' batch of one and the scripts' batch of two
        assertThat(batches().totalAmount()).isEqualTo(3);
    }

    @Test
    void theUniSendsOnlyWhenSubscribedTo() throws Exception {
        String key = prefix + "count";
        var read = batcher.execute(ReadCommand.get(key));
        await(redis.send(Request.cmd(io.vertx.redis.client.Command.SET).arg(key).arg("written after the Uni was made").arg("PX").arg("60000")));
        assertThat(read.await().atMost(java.time.Duration.ofSeconds(10)).toString()).isEqualTo("written after the Uni was made");
    }
}
