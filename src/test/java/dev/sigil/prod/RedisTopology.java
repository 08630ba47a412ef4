package dev.sigil.prod;

import dev.sigil.support.FreePorts;
import dev.sigil.support.Poll;
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
 * A standalone Redis, Redis Sentinel (a master, replicas, three sentinels) or Redis Cluster (3 masters with
 * replicas), started by a test as child processes of Debian's {@code redis-server} on free ports, with
 * short failure detection, and killed afterwards. {@link #env()} is what a Sigil process needs to use it.
 */
final class RedisTopology implements AutoCloseable {

    static final String MASTER_NAME = "sigil";

    private final Path dir;
    private final Map<Integer, Process> nodes = new LinkedHashMap<>();
    /** How each node was started, so that a killed one can come back ({@link #restart}). */
    private final Map<Integer, List<String>> commands = new LinkedHashMap<>();
    private final List<Integer> sentinels = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private int firstMaster;
    private boolean cluster;

    private RedisTopology(Path dir) {
        this.dir = dir;
    }

    /** A master and {@code replicas} replicas, watched by three sentinels (quorum 2, down after 1 s). */
    static RedisTopology sentinel(int replicas) throws Exception {
        RedisTopology t = new RedisTopology(Files.createTempDirectory("sigil-sentinel"));
        int master = FreePorts.one();
        t.server(master);
        List<Integer> replicaPorts = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            int replica = FreePorts.one();
            t.server(replica, "--replicaof", "127.0.0.1", Integer.toString(master));
            replicaPorts.add(replica);
        }
        t.firstMaster = master;
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int port = FreePorts.one();
            Path conf = t.dir.resolve("sentinel-" + port + ".conf");
            Files.writeString(conf, String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + t.dir,
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master + " 2",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                    "sentinel failover-timeout " + MASTER_NAME + " 5000", ""));
            t.start(port, List.of("redis-server", conf.toString(), "--sentinel"));
            t.sentinels.add(port);
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

    /** One redis-server, no replica (its "failover" is a restart: RedisAofRestartTest). */
    static RedisTopology standalone() throws Exception {
        RedisTopology t = new RedisTopology(Files.createTempDirectory("sigil-standalone"));
        t.firstMaster = FreePorts.one();
        t.server(t.firstMaster);
        t.env.put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:" + t.firstMaster);
        return t;
    }

    /** Three masters with {@code replicas} replicas each, node timeout 1 s, joined with {@code redis-cli --cluster create}. */
    static RedisTopology cluster(int replicas) throws Exception {
        RedisTopology t = new RedisTopology(Files.createTempDirectory("sigil-cluster"));
        t.cluster = true;
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 3 * (1 + replicas); i++) {
            int port = FreePorts.one();
            t.server(port, "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                    "--cluster-node-timeout", "1000");
            addresses.add("127.0.0.1:" + port);
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        create.addAll(addresses);
        create.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
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

    /** The port of the master that holds {@code key} now: as the sentinels see it, or the cluster. */
    int masterOf(String key) {
        if (!sentinels.isEmpty()) {
            for (int sentinel : sentinels) {
                if (nodes.containsKey(sentinel)) {
                    List<?> address = (List<?>) call(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
                    return Integer.parseInt(String.valueOf(address.get(1)));
                }
            }
        }
        if (!cluster) {
            return firstMaster;
        }
        long slot = (Long) call(firstAlive(), "CLUSTER", "KEYSLOT", key);
        for (String[] node : clusterNodes()) {
            if (node[2].contains("master") && !node[2].contains("fail")) {
                for (int i = 8; i < node.length; i++) {
                    String[] range = node[i].split("-");
                    if (!range[0].startsWith("[") && slot >= Long.parseLong(range[0])
                            && slot <= Long.parseLong(range[range.length - 1])) {
                        return port(node);
                    }
                }
            }
        }
        throw new AssertionError("no master holds slot " + slot);
    }

    /** The ports of the cluster replicas of the master on {@code masterPort}. */
    List<Integer> replicasOf(int masterPort) {
        List<String[]> nodes = clusterNodes();
        String id = nodes.stream().filter(n -> port(n) == masterPort).findFirst().orElseThrow()[0];
        return nodes.stream().filter(n -> n[3].equals(id)).map(RedisTopology::port).toList();
    }

    /** Waits (polling, with a deadline) until a replica has taken over {@code key} from the master on {@code killed}. */
    int awaitFailover(String key, int killed) {
        int[] now = {killed};
        Poll.until("a failover away from port " + killed, Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
            try {
                now[0] = masterOf(key);
            } catch (RuntimeException | AssertionError notYet) {
                return false; // no node answers for the slot while the cluster fails over
            }
            return now[0] != killed;
        });
        return now[0];
    }

    /** Waits until the master on {@code master} has {@code n} replicas online (a killed node rejoined and synced). */
    void awaitReplicas(int master, int n) {
        Poll.until(n + " replicas online at port " + master, Duration.ofSeconds(120), Duration.ofMillis(100), () -> {
            String replication = info(master, "replication");
            return replication.lines().filter(l -> l.matches("slave\\d+:.*state=online.*")).count() >= n;
        });
    }

    private List<String[]> clusterNodes() {
        return String.valueOf(call(firstAlive(), "CLUSTER", "NODES")).lines().map(l -> l.trim().split(" ")).toList();
    }

    private int firstAlive() {
        return nodes.keySet().iterator().next();
    }

    private static int port(String[] node) {
        return Integer.parseInt(node[1].substring(node[1].lastIndexOf(':') + 1).split("@")[0]);
    }

    /** SIGKILL, as a crash would. */
    void kill(int port) throws InterruptedException {
        Process p = nodes.remove(port);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Starts a killed node again as it was started, with no data (no persistence): a master that comes back after
     * the failover rejoins as a replica of the new one (the sentinels reconfigure it; a cluster node learns from
     * its nodes file that another owns its slots) and syncs from it.
     */
    void restart(int port) throws IOException {
        start(port, commands.get(port));
    }

    /**
     * Restarts a killed master as a replica of {@code promoted}. A Cluster node rejoins by itself (its
     * nodes.conf); under Sentinel the node starts as an empty master, and Sentinel converts it only after
     * its publish and info periods, which on a busy machine ran past a minute once: the test sends the
     * REPLICAOF that Sentinel would send.
     */
    void rejoin(int port, int promoted) throws IOException {
        restart(port);
        if (!cluster) {
            Poll.until("the restarted node to answer", Duration.ofSeconds(30), Duration.ofMillis(100),
                    () -> !info(port, "replication").isEmpty());
            call(port, "REPLICAOF", "127.0.0.1", Integer.toString(promoted));
        }
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
        commands.put(port, cmd);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis-" + port + ".log").toFile())).start();
        nodes.put(port, p);
        awaitUntil(() -> {
            try {
                return "PONG".equals(call(port, "PING"));
            } catch (IllegalStateException notYet) {
                return false;
            }
        });
    }

    private void awaitUntil(Poll.Condition ready) {
        Poll.until("Redis topology ready (logs in " + dir + ")", Duration.ofSeconds(30), Duration.ofMillis(100), ready);
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
