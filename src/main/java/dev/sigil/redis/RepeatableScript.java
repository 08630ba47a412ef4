package dev.sigil.redis;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

import java.util.List;

/**
 * A Lua script that is safe to run twice with the same arguments: its second run changes nothing more than
 * the first (it reads, or sets what it sets to the same values). Only such a script may go through the
 * {@link CommandBatcher}, which resends every command of a failed batch, including those that already ran.
 * A script that counts, reserves or rotates is a plain {@link LuaScript} and goes out alone.
 */
public final class RepeatableScript {

    private final LuaScript script;

    public RepeatableScript(String name, MeterRegistry registry) {
        this.script = new LuaScript(name, registry);
    }

    /**
     * Runs the script through {@code batcher}, batched with the other scripts of this turn of the event loop;
     * any failure of Redis becomes 503 {@code unavailable}, as with {@link LuaScript#run}.
     */
    public Uni<Response> run(CommandBatcher batcher, List<String> keys, List<String> args) {
        return script.run(batcher::script, keys, args);
    }
}
