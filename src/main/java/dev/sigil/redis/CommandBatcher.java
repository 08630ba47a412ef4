package dev.sigil.redis;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.impl.ContextInternal;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sends the commands that requests on one event loop issue in one turn of the loop as one Redis batch:
 * one write, one read and one pooled connection for all of them instead of one each. The Vert.x client
 * writes and flushes every command by itself, and on loopback each write also runs Redis' side of TCP: under
 * load, batching saved 5 to 8 % of a client-credentials grant's CPU, a quarter of an introspection's, and
 * 60 % of Redis' own CPU per grant (see docs/performance.md and docs/adr/0003-redis-command-batcher.md).
 * <p>
 * Only for commands that are <b>safe to run twice</b> (reads, and scripts whose second run with the same
 * arguments changes nothing more): a batch that fails, because one of its commands got an error reply or
 * the connection broke midway, is sent again command by command, so each caller gets its own answer and
 * none fails for another's error, and commands that had already run may run once more. Each caller
 * resumes on its own Vert.x context, as with a single send.
 * <p>
 * A command sent off an event loop goes out alone at once. So does every command on a Redis Cluster, whose
 * client batches only commands of one node; commands of different users or clients land on different nodes.
 * Batches are timed and counted like any other command, and their sizes are recorded as
 * {@code sigil_redis_batch_commands}.
 */
@ApplicationScoped
public class CommandBatcher {

    /** A cap well below the client's queue of commands awaiting a reply (2048 per connection). */
    static final int MAX_BATCH = 64;

    private record Pending(io.vertx.redis.client.Request request, Promise<io.vertx.redis.client.Response> promise) {
    }

    private final Redis redis;
    private final boolean batching;
    private final DistributionSummary sizes;
    /** The commands waiting for this turn's batch, per event-loop thread. */
    private final ThreadLocal<List<Pending>> waiting = ThreadLocal.withInitial(ArrayList::new);

    @Inject
    public CommandBatcher(ReactiveRedisDataSource redis, MeterRegistry registry,
                          @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this(redis.getRedis().getDelegate(), !clientType.toLowerCase(Locale.ROOT).equals("cluster"), registry);
    }

    CommandBatcher(Redis redis, boolean batching, MeterRegistry registry) {
        this.redis = redis;
        this.batching = batching;
        this.sizes = DistributionSummary.builder("sigil.redis.batch.commands")
                .description("Commands per batch that CommandBatcher sent").register(registry);
    }

    /** {@code command args...}, safe to run twice; sent when the Uni is subscribed to. */
    public Uni<Response> execute(Command command, String... args) {
        Request request = Request.cmd(command);
        for (String a : args) {
            request.arg(a);
        }
        return Uni.createFrom().emitter(e -> send(request.getDelegate()).onComplete(ar -> {
            if (ar.succeeded()) {
                e.complete(Response.newInstance(ar.result()));
            } else {
                e.fail(ar.cause());
            }
        }));
    }

    Future<io.vertx.redis.client.Response> send(io.vertx.redis.client.Request request) {
        ContextInternal context = ContextInternal.current();
        if (!batching || context == null || !context.isEventLoopContext() || !context.inThread()) {
            return redis.send(request);
        }
        List<Pending> queue = waiting.get();
        // Completed on the caller's own (duplicated) context, as the client's own promises are.
        Promise<io.vertx.redis.client.Response> promise = context.promise();
        queue.add(new Pending(request, promise));
        if (queue.size() == 1) {
            // Runs after the I/O and the tasks already queued in this turn, which may add more commands.
            context.runOnContext(v -> flush());
        } else if (queue.size() == MAX_BATCH) {
            flush();
        }
        return promise.future();
    }

    /** Sends this thread's waiting commands. */
    private void flush() {
        List<Pending> queue = waiting.get();
        if (queue.isEmpty()) {
            return; // a full batch went out before this turn's flush ran
        }
        List<Pending> batch = List.copyOf(queue);
        queue.clear();
        sizes.record(batch.size());
        if (batch.size() == 1) {
            redis.send(batch.get(0).request()).onComplete(batch.get(0).promise());
            return;
        }
        redis.batch(batch.stream().map(Pending::request).toList()).onComplete(ar -> {
            if (ar.succeeded()) {
                List<io.vertx.redis.client.Response> replies = ar.result();
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).promise().complete(replies.get(i));
                }
            } else {
                // The batch's failure names only which commands failed; the others' replies are lost.
                for (Pending p : batch) {
                    redis.send(p.request()).onComplete(p.promise());
                }
            }
        });
    }
}
