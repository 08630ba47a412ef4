package dev.sigil.redis;

import dev.sigil.error.Outages;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lua script from {@code src/main/resources/lua}, run by SHA (EVALSHA) with a fallback to EVAL after a
 * Redis restart, timed as {@code sigil_redis_script_seconds{script}}.
 */
public final class LuaScript {

    /**
     * A line {@code --#include <name>} stands for the text of {@code lua/<name>.lua}: a Redis script cannot
     * load another, so code that several scripts share (reading a session) is pasted in here, once.
     */
    private static final Pattern INCLUDE = Pattern.compile("^--#include ([a-z-]+)$", Pattern.MULTILINE);

    /**
     * Put before every script: the last argument, which {@link #argv} adds, is the call's deadline in Redis'
     * clock (see {@link RedisClock}; 0: none), taken off ARGV so the script sees only its own arguments.
     * Past it the caller has already answered 503, so the script runs nothing and fails.
     */
    private static final String DEADLINE = """
            local deadline = tonumber(table.remove(ARGV))
            if deadline > 0 then
                local t = redis.call('TIME')
                if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > deadline then
                    return redis.error_reply('LATE the deadline passed before Redis ran the script; nothing was written')
                end
            end
            """;

    private final String source;
    private final String sha;
    private final Timer timer;

    public LuaScript(String name, MeterRegistry registry) {
        this.timer = Timer.builder("sigil.redis.script").tag("script", name).register(registry);
        this.source = text(name);
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What Redis runs for {@code lua/<name>.lua}: the deadline prelude, then the script with its includes.
     * Its ARGV end with the deadline (0: none). Public for the scripts' contract tests.
     */
    public static String text(String name) {
        return DEADLINE + INCLUDE.matcher(read(name)).replaceAll(m -> Matcher.quoteReplacement(read(m.group(1))));
    }

    /** The text of {@code lua/<name>.lua}. */
    private static String read(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream("/lua/" + name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("Missing Lua script " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the script; any failure of Redis (after the NOSCRIPT fallback) becomes 503 {@code unavailable}. */
    public Uni<Response> run(ReactiveRedisDataSource redis, List<String> keys, List<String> args) {
        return run(redis::execute, keys, args);
    }

    /** How a command goes out: alone, or through the batcher (only for a {@link RepeatableScript}). */
    interface Sender {
        Uni<Response> execute(Command command, String... args);
    }

    /** Runs the script through {@code sender}; failures as above. */
    Uni<Response> run(Sender sender, List<String> keys, List<String> args) {
        return Outages.redis(Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            long deadline = RedisClock.deadlineMs(start);
            return sender.execute(Command.EVALSHA, argv(sha, keys, args, deadline))
                    .onFailure(LuaScript::noScript)
                    .recoverWithUni(() -> sender.execute(Command.EVAL, argv(source, keys, args, deadline)))
                    .onTermination().invoke(() -> timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        }));
    }

    /**
     * Runs the script as a change that {@code ack}'s replicas must acknowledge (see {@link ReplicaAck#write});
     * timed with the wait. A NOSCRIPT failure ran nothing, so EVAL is sent instead (with its own WAIT).
     */
    public Uni<Response> run(ReactiveRedisDataSource redis, List<String> keys, List<String> args, ReplicaAck ack) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            long deadline = RedisClock.deadlineMs(start);
            return ack.write(redis, request(Command.EVALSHA, sha, keys, args, deadline))
                    .onFailure(LuaScript::noScript)
                    .recoverWithUni(() -> ack.write(redis, request(Command.EVAL, source, keys, args, deadline)))
                    .onTermination().invoke(() -> timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        });
    }

    /**
     * Redis' NOSCRIPT error reply, here or behind Sigil's outage wrapper: its code is the first word, or,
     * failing a batch, the first word after Vert.x' {@code ERR [index] } prefix.
     */
    private static boolean noScript(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && NOSCRIPT.matcher(t.getMessage()).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    private static final Pattern NOSCRIPT = Pattern.compile("(ERR \\[\\d+\\] )?NOSCRIPT ");

    private static Request request(Command command, String script, List<String> keys, List<String> args, long deadline) {
        Request r = Request.cmd(command);
        for (String a : argv(script, keys, args, deadline)) {
            r.arg(a);
        }
        return r;
    }

    private static String[] argv(String script, List<String> keys, List<String> args, long deadline) {
        List<String> argv = new ArrayList<>(3 + keys.size() + args.size());
        argv.add(script);
        argv.add(Integer.toString(keys.size()));
        argv.addAll(keys);
        argv.addAll(args);
        argv.add(Long.toString(deadline));
        return argv.toArray(String[]::new);
    }
}
