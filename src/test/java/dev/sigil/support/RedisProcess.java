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
    private final java.util.List<String> extra;
    private Process process;

    public RedisProcess(int port) {
        this(port, null);
    }

    public RedisProcess(int port, java.nio.file.Path aofDir, String... extra) {
        this.port = port;
        this.aofDir = aofDir;
        this.extra = java.util.List.of(extra);
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
            command.addAll(extra);
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

    /** Freezes the server (SIGSTOP): it neither reads nor answers, and what clients send waits in its sockets. */
    public synchronized void freeze() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -STOP failed");
        }
    }

    /**
     * Waits until a request has reached the frozen server: a connection to its port holds unread bytes
     * (the kernel's receive queue, {@code rx_queue} in /proc/net/tcp, Linux).
     */
    public void awaitUnreadRequest(Duration timeout) {
        String local = String.format(":%04X", port);
        Poll.until("a request reaching the Redis on port " + port, timeout, Duration.ofMillis(10), () -> {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/tcp"))) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx_queue:rx_queue ...; 01 = ESTABLISHED
                if (f.length > 4 && f[1].endsWith(local) && f[3].equals("01") && Long.parseLong(f[4].split(":")[1], 16) > 0) {
                    return true;
                }
            }
            return false;
        });
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
