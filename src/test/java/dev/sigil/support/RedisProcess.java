package dev.sigil.support;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away redis-server that a test starts, kills and restarts as its own child process, to play
 * an outage. Without an AOF directory there is no persistence: a restart comes back empty, like a fresh replica. A JVM shutdown hook
 * kills it should the test run end without {@link #stop()}.
 */
public final class RedisProcess {

    private final int port;
    private final RedisWire wire;
    /** With a directory: AOF on, fsync on every write, so a restart keeps every acknowledged write. */
    private final java.nio.file.Path aofDir;
    private Process process;

    public RedisProcess(int port) {
        this(port, null);
    }

    public RedisProcess(int port, java.nio.file.Path aofDir) {
        this.port = port;
        this.aofDir = aofDir;
        this.wire = new RedisWire("127.0.0.1", port, 0);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
    }

    public int port() {
        return port;
    }

    /** Starts the server unless it is running, and waits until it answers PING. */
    public synchronized void start() {
        if (running()) {
            return;
        }
        if (answers()) {
            throw new IllegalStateException("Port " + port + " is already taken by another Redis: stop it before running this test");
        }
        try {
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("redis-server", "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--daemonize", "no"));
            command.addAll(aofDir == null ? java.util.List.of("--appendonly", "no")
                    : java.util.List.of("--appendonly", "yes", "--appendfsync", "always", "--dir", aofDir.toString()));
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(new File("target", "redis-" + port + ".log"))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start redis-server (is it installed?)", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("redis-server on port " + port + " did not come up; see target/redis-" + port + ".log");
            }
            sleep(50);
        }
    }

    /** Kills the server the hard way (SIGKILL), as a crash would, and waits until the port is closed. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (answers() && System.nanoTime() < deadline) {
            sleep(50);
        }
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    public Object call(String... args) {
        return wire.call(args);
    }

    private boolean answers() {
        try {
            return "PONG".equals(wire.call("PING"));
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
