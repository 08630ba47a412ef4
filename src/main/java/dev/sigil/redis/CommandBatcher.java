package dev.sigil.redis;

import dev.sigil.config.SigilConfig;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
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
 * It takes only what is <b>safe to send twice</b>, and the types say which: a {@link ReadCommand}, or a
 * {@link RepeatableScript} (a script whose second run with the same arguments changes nothing more). A batch
 * that fails, because one of its commands got an error reply or the connection broke midway, is sent again
 * command by command, so each caller gets its own answer and none fails for another's error, and commands
 * that had already run may run once more. Each caller resumes on its own Vert.x context, as with a single send.
 * <p>
 * Reads and scripts never share a batch: reads go over the connections kept for them ({@link RedisReads}),
 * scripts over the default client's. Under a write pause ({@code CLIENT PAUSE WRITE}) Redis holds every
 * script, and with it the connection and every command queued behind it on that connection; a read batched
 * with a script would wait as long (issue 30, finding 8).
 * <p>
 * A command sent off an event loop goes out alone at once; so does every command with batching off
 * ({@code sigil.redis.batching}) and on a Redis Cluster, whose client batches only commands of one node
 * (commands of different users or clients land on different nodes). Batches are timed and counted like any
 * other command, and their sizes are recorded as {@code sigil_redis_batch_commands}.
 */
@ApplicationScoped
public class CommandBatcher {

    /** A cap well below the client's queue of commands awaiting a reply (2048 per connection). */
    static final int MAX_BATCH = 64;

    final Lane reads;
    final Lane scripts;
    private final boolean batching;
    private final DistributionSummary sizes;

    @Inject
    public CommandBatcher(ReactiveRedisDataSource redis, RedisReads reads, SigilConfig config, MeterRegistry registry,
                          @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this(redis.getRedis().getDelegate(), reads.client(), batches(config.redis().batching(), clientType), registry);
    }

    /** Whether commands are batched: unless {@code sigil.redis.batching} is off, or on a Redis Cluster. */
    static boolean batches(boolean setting, String clientType) {
        return setting && !clientType.toLowerCase(Locale.ROOT).equals("cluster");
    }

    CommandBatcher(Redis writes, Redis reads, boolean batching, MeterRegistry registry) {
        this.batching = batching;
        this.sizes = DistributionSummary.builder("sigil.redis.batch.commands")
                .description("Commands per batch that CommandBatcher sent").register(registry);
        this.reads = new Lane(reads);
        this.scripts = new Lane(writes);
    }

    /** Sends {@code read} when the Uni is subscribed to, batched with the other reads of this turn. */
    public Uni<Response> execute(ReadCommand read) {
        return execute(reads, () -> read.request());
    }

    /** A script's EVALSHA or EVAL, only for {@link RepeatableScript}: batched with the other scripts of this turn. */
    Uni<Response> script(io.vertx.mutiny.redis.client.Command command, String... args) {
        return execute(scripts, () -> {
            Request r = Request.cmd(command.getDelegate());
            for (String a : args) {
                r.arg(a);
            }
            return r;
        });
    }

    private static Uni<Response> execute(Lane lane, java.util.function.Supplier<Request> request) {
        return Uni.createFrom().emitter(e -> lane.send(request.get()).onComplete(ar -> {
            if (ar.succeeded()) {
                e.complete(Response.newInstance(ar.result()));
            } else {
                e.fail(ar.cause());
            }
        }));
    }

    /** A caller's command, the context to answer it on, and its answer. */
    private record Pending(Request request, Context context, Promise<io.vertx.redis.client.Response> promise) {

        /** Completes on the caller's own (duplicated) context, as the client's own futures do. */
        void answer(AsyncResult<io.vertx.redis.client.Response> ar) {
            if (Vertx.currentContext() == context) {
                promise.handle(ar);
            } else {
                context.runOnContext(v -> promise.handle(ar));
            }
        }
    }

    /** One client's batches: the commands waiting for this turn's batch, per event-loop thread. */
    final class Lane {
        private final Redis redis;
        private final ThreadLocal<List<Pending>> waiting = ThreadLocal.withInitial(ArrayList::new);

        Lane(Redis redis) {
            this.redis = redis;
        }

        Future<io.vertx.redis.client.Response> send(Request request) {
            Context context = Vertx.currentContext();
            if (!batching || context == null || !context.isEventLoopContext() || !Context.isOnEventLoopThread()) {
                return redis.send(request);
            }
            List<Pending> queue = waiting.get();
            Promise<io.vertx.redis.client.Response> promise = Promise.promise();
            queue.add(new Pending(request, context, promise));
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
                redis.send(batch.get(0).request()).onComplete(batch.get(0)::answer);
                return;
            }
            redis.batch(batch.stream().map(Pending::request).toList()).onComplete(ar -> {
                if (ar.succeeded()) {
                    List<io.vertx.redis.client.Response> replies = ar.result();
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).answer(Future.succeededFuture(replies.get(i)));
                    }
                } else {
                    // The batch's failure names only which commands failed; the others' replies are lost.
                    for (Pending p : batch) {
                        redis.send(p.request()).onComplete(p::answer);
                    }
                }
            });
        }
    }
}
