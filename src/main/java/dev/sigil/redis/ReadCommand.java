package dev.sigil.redis;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * A Redis command that only reads. Only the factories below make one, each for a command Redis declares
 * read-only, so a type says what a comment used to: such a command is safe to send twice (a batch that
 * fails is resent command by command, see {@link CommandBatcher}) and a write pause ({@code CLIENT PAUSE
 * WRITE}, a failover's) never holds it, so it may go over the connections kept for reads.
 */
public final class ReadCommand {

    private final Command command;
    private final String[] args;

    private ReadCommand(Command command, String... args) {
        this.command = command;
        this.args = args;
    }

    public static ReadCommand get(String key) {
        return new ReadCommand(Command.GET, key);
    }

    public static ReadCommand mget(String... keys) {
        return new ReadCommand(Command.MGET, keys);
    }

    public static ReadCommand hmget(String key, String... fields) {
        String[] args = new String[fields.length + 1];
        args[0] = key;
        System.arraycopy(fields, 0, args, 1, fields.length);
        return new ReadCommand(Command.HMGET, args);
    }

    /** The members of a sorted set between ranks {@code start} and {@code stop} (-1: the last). */
    public static ReadCommand zrange(String key, long start, long stop) {
        return new ReadCommand(Command.ZRANGE, key, Long.toString(start), Long.toString(stop));
    }

    /** The request to send. */
    Request request() {
        Request r = Request.cmd(command);
        for (String a : args) {
            r.arg(a);
        }
        return r;
    }

    @Override
    public String toString() {
        return command.toString();
    }
}
