package dev.sigil.prod;

import dev.sigil.support.FreePorts;
import dev.sigil.key.KeyFiles;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Sigil replicas on one key directory, on standalone Redis, Redis Sentinel and Redis Cluster (issue 12):
 * refresh chains alternate between the replicas with 0 errors and one successor per rotation; a revocation
 * on one replica holds on the other at once; a SIGKILLed Redis master (the one holding the chains' keys)
 * gives only 503 with Retry-After (never a 500, a cleared cookie or a false refresh_token_reused) and every
 * chain continues with the token it held; a SIGKILLed Sigil replica loses nothing for clients that retry
 * on the other one. With sigil.redis.wait-replicas set to every replica of the master, no acknowledged
 * rotation is lost in a failover. The replica load of the issue (50 chains, 30 s) runs once, on Cluster; the
 * other loads are short to keep CI fast. The test asserts; what WAIT costs is measured by src/bench (phase wait).
 */
class RedisTopologiesIT {

    static final int CHAINS = 10;
    static final String ISSUER = "http://sigil.test";
    /**
     * WAIT for both replicas of the master: whichever of them a failover promotes holds every acknowledged
     * change. (WAIT for one of two is not enough: a Sentinel failover once promoted the replica that had not
     * acknowledged and lost the last rotation of all 10 chains.) The price: a master left with one replica
     * answers 503 to every change until the killed node rejoins, and a refresh that got that 503 is retried with
     * the token it held, so the grace period must outlast that gap; 60 s here, where it is a few seconds.
     */
    static final Map<String, String> WAIT_FOR_BOTH = Map.of("SIGIL_REDIS_WAIT_REPLICAS", "2", "SIGIL_REDIS_WAIT_TIMEOUT", "PT0.5S",
            "SIGIL_TOKENS_GRACE", "PT60S");

    /** A standalone Redis has no failover (a restart with AOF is RedisAofRestartTest): the steady load only. */
    @Test
    void replicasOnStandaloneRedis() throws Exception {
        try (RedisTopology redis = RedisTopology.standalone()) {
            Replicas r = Replicas.start(redis, Map.of(), CHAINS);
            try (r) {
                steady("standalone", r, Duration.ofSeconds(8));
                revocationOnOneReplicaHoldsOnTheOther(r.a, r.b, r.login);
            }
        }
    }

    @Test
    void replicasOnRedisSentinelSurviveAMasterKillAndAReplicaKill() throws Exception {
        try (RedisTopology redis = RedisTopology.sentinel(1)) {
            scenario("sentinel", redis, Map.of(), CHAINS, Duration.ofSeconds(8)).close();
        }
    }

    /** With WAIT for every replica after every session change, no acknowledged rotation is lost in a failover. */
    @Test
    void replicaAcknowledgementOnRedisSentinelLosesNoRotationInAFailover() throws Exception {
        try (RedisTopology redis = RedisTopology.sentinel(2)) {
            scenario("sentinel+wait", redis, WAIT_FOR_BOTH, CHAINS, Duration.ofSeconds(5)).close();
        }
    }

    /** The issue's replica load: 50 chains alternating replicas on every refresh for 30 s. */
    @Test
    void replicasOnRedisClusterSurviveAMasterKillAndAReplicaKill() throws Exception {
        try (RedisTopology redis = RedisTopology.cluster(1)) {
            scenario("cluster", redis, Map.of(), 50, Duration.ofSeconds(30)).close();
        }
    }

    /**
     * WAIT on Cluster: batched with the change, so it reaches the master that wrote. Proven at the end: with
     * that master's replicas gone every change answers 503, where a WAIT sent to a random master would
     * mostly be acknowledged by that master's own replicas.
     */
    @Test
    void replicaAcknowledgementOnRedisClusterLosesNoRotationInAFailover() throws Exception {
        try (RedisTopology redis = RedisTopology.cluster(2)) {
            try (Replicas r = scenario("cluster+wait", redis, WAIT_FOR_BOTH, CHAINS, Duration.ofSeconds(5))) {
                int master = redis.masterOf(r.userKey);
                for (int replica : redis.replicasOf(master)) {
                    redis.kill(replica);
                }
                String token = r.tokens.get(0);
                for (int i = 0; i < 10; i++) {
                    HttpResponse<String> refresh = RefreshChains.refresh(r.a, token);
                    assertThat(refresh.statusCode()).as("refresh %d with the writing master's replicas gone", i).isEqualTo(503);
                    assertThat(refresh.headers().firstValue("Retry-After")).isPresent();
                }
            }
        }
    }

    /** Two Sigil replicas on one key directory and one Redis topology, with {@code chains} logged-in sessions of one user. */
    static final class Replicas implements AutoCloseable {
        final Map<String, String> env;
        final ProdProcess a;
        final ProdProcess b;
        final String login;
        /** A key of the chains' user: where its sessions live. */
        final String userKey;
        final List<String> tokens = new ArrayList<>();

        private Replicas(Map<String, String> env, ProdProcess a, ProdProcess b, String login, String userKey) {
            this.env = env;
            this.a = a;
            this.b = b;
            this.login = login;
            this.userKey = userKey;
        }

        static Replicas start(RedisTopology redis, Map<String, String> settings, int chains) throws Exception {
            Path keys = Files.createTempDirectory("sigil-keys");
            KeyFiles.generate(keys, Instant.now().minusSeconds(60));
            String suffix = ProdProcess.randomSuffix();
            Map<String, String> env = new HashMap<>(ProdProcess.freshAdmin(suffix));
            env.putAll(redis.env());
            env.putAll(settings);
            env.put("SIGIL_KEYS_DIR", keys.toString());
            env.put("SIGIL_ISSUER", ISSUER); // one issuer: an access token from one replica is valid on the other
            env.put("SIGIL_SESSIONS_MAX_PER_USER", "1000"); // every chain is a session of the same user
            return start(env, ProdProcess.login(suffix), chains);
        }

        static Replicas start(Map<String, String> env, String login, int chains) throws Exception {
            // One after the other: two replicas starting at once both take the bootstrap admin's advisory lock,
            // and on a loaded machine the second one's wait can exceed PostgreSQL's lock_timeout (2 s), which fails
            // its start-up (seen here; reported). The test is about what happens once both run.
            ProdProcess a = ProdProcess.start(FreePorts.one(), env);
            ProdProcess b = null;
            try {
                a.awaitReady();
                b = ProdProcess.start(FreePorts.one(), env);
                b.awaitReady();
                HttpResponse<String> first = a.postJson("/login", login);
                assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
                Replicas r = new Replicas(env, a, b, login, "sigil:{" + claim(first, "sub") + "}:ver");
                r.tokens.add(RefreshChains.cookieOf(first));
                for (int i = 1; i < chains; i++) {
                    HttpResponse<String> next = r.both().get(i % 2).postJson("/login", login);
                    assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
                    r.tokens.add(RefreshChains.cookieOf(next));
                }
                return r;
            } catch (Exception | AssertionError e) {
                a.close();
                if (b != null) {
                    b.close();
                }
                throw e;
            }
        }

        List<ProdProcess> both() {
            return List.of(a, b);
        }


        @Override
        public void close() throws InterruptedException {
            a.close();
            b.close();
        }
    }

    private static RefreshChains steady(String name, Replicas r, Duration d) throws Exception {
        RefreshChains steady = new RefreshChains(r.both(), r.tokens);
        steady.run(d);
        assertThat(steady.errors).isEmpty();
        assertThat(steady.unavailable).hasValue(0);
        assertThat(steady.rotations.get()).as("[%s] rotations", name).isGreaterThan(r.tokens.size());
        r.tokens.clear();
        r.tokens.addAll(steady.tokens);
        return steady;
    }

    private Replicas scenario(String name, RedisTopology redis, Map<String, String> settings, int chains, Duration steadyFor)
            throws Exception {
        boolean waits = !settings.isEmpty();
        Replicas r = Replicas.start(redis, settings, chains);
        boolean done = false;
        try {
            ProdProcess a = r.a;
            ProdProcess b = r.b;
            List<ProdProcess> both = r.both();
            steady(name, r, steadyFor);
            revocationOnOneReplicaHoldsOnTheOther(a, b, r.login);

            // The Redis master that holds the chains' keys SIGKILLed under load.
            RefreshChains failover = new RefreshChains(both, r.tokens);
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> run(failover, Duration.ofSeconds(waits ? 150 : 20)));
            failover.awaitRotations(chains * 5); // under load, whatever the machine's speed
            int killed = redis.masterOf(r.userKey);
            redis.kill(killed);
            if (waits) {
                // Every change waits for both replicas, and the new master has one: it answers 503 until the
                // killed node is back as its replica (after the failover: an empty master back before it would
                // be followed). Then the load runs on until the chains rotate again.
                int promoted = redis.awaitFailover(r.userKey, killed);
                redis.rejoin(killed, promoted);
                redis.awaitReplicas(promoted, 2);
                int before = failover.rotations.get();
                failover.awaitRotations(before + chains * 3);
                failover.stop();
            }
            load.get();
            List<String> lost = failover.errors.stream().filter(e -> e.contains("invalid_refresh_token")).toList();
            assertThat(failover.errors).as("[%s] only lost rotations may fail; never a 500 or a false reuse", name).containsExactlyElementsOf(lost);
            assertThat(failover.unavailable.get()).as("[%s] the kill was noticed", name).isPositive();
            if (waits) {
                assertThat(lost).as("[%s] rotations acknowledged by both replicas and lost in the failover", name).isEmpty();
            }
            // Without WAIT a rotation the killed master confirmed but had not yet replicated can be lost (rare,
            // and allowed: asynchronous replication); that chain logs in again.
            everyChainContinues(both, failover, lost.size(), r.login);

            // A Sigil replica SIGKILLed under load: clients retry on the other one.
            RefreshChains replicaKill = new RefreshChains(both, failover.tokens);
            load = CompletableFuture.runAsync(() -> run(replicaKill, Duration.ofSeconds(8)));
            replicaKill.awaitRotations(chains * 5);
            b.process.destroyForcibly();
            load.get();
            assertThat(replicaKill.errors).as("[%s] errors with a Sigil replica killed", name).isEmpty();
            everyChainContinues(List.of(a), replicaKill, 0, r.login);
            r.tokens.clear();
            r.tokens.addAll(replicaKill.tokens);
            done = true;
            return r;
        } finally {
            if (!done) {
                r.close();
            }
        }
    }


    private static String claim(HttpResponse<String> login, String name) {
        String access = login.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        String payload = new String(Base64.getUrlDecoder().decode(access.split("\\.")[1]));
        return payload.replaceAll(".*\"" + name + "\":\"([^\"]+)\".*", "$1");
    }

    private static void run(RefreshChains chains, Duration d) {
        try {
            chains.run(d);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every chain that was not lost refreshes once more with the token it holds; a lost one logs in again. */
    private static void everyChainContinues(List<ProdProcess> replicas, RefreshChains chains, int lost, String login) throws Exception {
        int continued = 0;
        int chainCount = chains.tokens.size();
        for (int i = 0; i < chainCount; i++) {
            ProdProcess p = replicas.get(i % replicas.size());
            HttpResponse<String> r = RefreshChains.refresh(p, chains.tokens.get(i));
            if (r.statusCode() == 200) {
                chains.tokens.set(i, RefreshChains.cookieOf(r));
                continued++;
            } else {
                chains.tokens.set(i, RefreshChains.cookieOf(replicas.get(0).postJson("/login", login)));
            }
        }
        assertThat(continued).isEqualTo(chainCount - lost);
    }

    private static void revocationOnOneReplicaHoldsOnTheOther(ProdProcess a, ProdProcess b, String login) throws Exception {
        HttpResponse<String> r = a.postJson("/login", login);
        assertThat(r.statusCode()).isEqualTo(200);
        String access = r.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        String sid = claim(r, "sid");
        assertThat(bearer(b, "GET", "/me", access)).isEqualTo(200);

        assertThat(bearer(a, "DELETE", "/sessions/" + sid, access)).isEqualTo(204);

        assertThat(bearer(b, "GET", "/me", access)).isEqualTo(401);
        assertThat(RefreshChains.refresh(b, RefreshChains.cookieOf(r)).statusCode()).isEqualTo(401);
    }

    private static int bearer(ProdProcess p, String method, String path, String access) throws Exception {
        return ProdProcess.HTTP.send(HttpRequest.newBuilder(URI.create(p.url(path))).header("Authorization", "Bearer " + access)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
