package dev.sigil.prod;

import dev.sigil.support.RedisWire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Redis Sentinel (a master, a replica, three sentinels) or Redis Cluster (3 masters with a replica
 * each), started by a test as child processes of Debian's {@code redis-server} on free ports, with
 * short failure detection, and killed afterwards. {@link #env()} is what a Sigil process needs to use it.
 */
final class RedisTopology implements AutoCloseable {

    static final String MASTER_NAME = "sigil";

    private final Path dir;
    private final Map<Integer, Process> nodes = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private int firstMaster;

    private RedisTopology(Path dir) {
        this.dir = dir;
    }

    /** A master and {@code replicas} replicas, watched by three sentinels (quorum 2, down after 1 s). */
    static RedisTopology sentinel(int replicas) throws Exception {
        RedisTopology t = new RedisTopology(Files.createTempDirectory("sigil-sentinel"));
        int master = ProdProcess.freePort();
        t.server(master);
        List<Integer> replicaPorts = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            int replica = ProdProcess.freePort();
            t.server(replica, "--replicaof", "127.0.0.1", Integer.toString(master));
            replicaPorts.add(replica);
        }
        t.firstMaster = master;
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int port = ProdProcess.freePort();
            Path conf = t.dir.resolve("sentinel-" + port + ".conf");
            Files.writeString(conf, String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + t.dir,
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master + " 2",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                    "sentinel failover-timeout " + MASTER_NAME + " 5000", ""));
            t.start(port, List.of("redis-server", conf.toString(), "--sentinel"));
            hosts.add("redis://127.0.0.1:" + port);
        }
        for (int replica : replicaPorts) {
            t.awaitUntil(() -> "up".equals(field(t.info(replica, "replication"), "master_link_status")));
        }
        t.env.put("QUARKUS_REDIS_CLIENT_TYPE", "sentinel");
        t.env.put("QUARKUS_REDIS_MASTER_NAME", MASTER_NAME);
        t.env.put("QUARKUS_REDIS_HOSTS", String.join(",", hosts));
        return t;
    }

    /** Three masters with a replica each, node timeout 1 s, joined with {@code redis-cli --cluster create}. */
    static RedisTopology cluster() throws Exception {
        RedisTopology t = new RedisTopology(Files.createTempDirectory("sigil-cluster"));
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int port = ProdProcess.freePort();
            t.server(port, "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                    "--cluster-node-timeout", "1000");
            addresses.add("127.0.0.1:" + port);
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        create.addAll(addresses);
        create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        Process p = new ProcessBuilder(create).redirectErrorStream(true).redirectOutput(t.dir.resolve("create.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("redis-cli --cluster create failed: " + Files.readString(t.dir.resolve("create.log")));
        }
        t.firstMaster = Integer.parseInt(addresses.get(0).split(":")[1]);
        for (int port : t.nodes.keySet()) {
            t.awaitUntil(() -> "ok".equals(field(t.info(port, null, "CLUSTER", "INFO"), "cluster_state")));
        }
        t.env.put("QUARKUS_REDIS_CLIENT_TYPE", "cluster");
        t.env.put("QUARKUS_REDIS_HOSTS", addresses.stream().map(a -> "redis://" + a).collect(Collectors.joining(",")));
        return t;
    }

    Map<String, String> env() {
        return env;
    }

    /** The port of a master at start (for the cluster: the one holding slot 0). */
    int firstMaster() {
        return firstMaster;
    }

    /** SIGKILL, as a crash would. */
    void kill(int port) throws InterruptedException {
        Process p = nodes.remove(port);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    Object call(int port, String... args) {
        return new RedisWire("127.0.0.1", port, -1).call(args);
    }

    private String info(int port, String section, String... command) {
        try {
            Object r = command.length > 0 ? call(port, command) : call(port, "INFO", section);
            return String.valueOf(r);
        } catch (IllegalStateException notYet) {
            return "";
        }
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "";
    }

    private void server(int port, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no"));
        cmd.addAll(List.of(extra));
        start(port, cmd);
    }

    private void start(int port, List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
        nodes.put(port, p);
        awaitUntil(() -> {
            try {
                return "PONG".equals(call(port, "PING"));
            } catch (IllegalStateException notYet) {
                return false;
            }
        });
    }

    private void awaitUntil(java.util.function.BooleanSupplier ready) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ready.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Redis topology not ready in 30 s; logs in " + dir);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : nodes.values()) {
            p.destroyForcibly();
        }
        for (Process p : nodes.values()) {
            p.waitFor(10, TimeUnit.SECONDS);
        }
        nodes.clear();
    }
}
