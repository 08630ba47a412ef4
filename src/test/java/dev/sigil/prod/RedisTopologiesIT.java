package dev.sigil.prod;

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
 * Two Sigil replicas on one key directory, on Redis Sentinel and on Redis Cluster (issue 12): refresh
 * chains alternate between the replicas with 0 errors and one successor per rotation; a revocation on
 * one replica holds on the other at once; a SIGKILLed Redis master gives only 503 with Retry-After
 * (never a 500, a cleared cookie or a false refresh_token_reused) and every chain continues with the
 * token it held; a SIGKILLed Sigil replica loses nothing for clients that retry on the other one.
 * Short loads (10 chains, seconds) keep CI fast; the figures are printed for the README.
 */
class RedisTopologiesIT {

    static final int CHAINS = 10;
    static final String ISSUER = "http://sigil.test";

    @Test
    void replicasOnRedisSentinelSurviveAMasterKillAndAReplicaKill() throws Exception {
        try (RedisTopology redis = RedisTopology.sentinel(1)) {
            scenario("sentinel", redis, Map.of(), false);
        }
    }

    /**
     * With WAIT for one replica after every session change, no acknowledged rotation is lost in a
     * failover. Two replicas: after the failover the new master still has one to acknowledge.
     */
    @Test
    void replicaAcknowledgementOnRedisSentinelLosesNoRotationInAFailover() throws Exception {
        try (RedisTopology redis = RedisTopology.sentinel(2)) {
            scenario("sentinel+wait", redis, Map.of("SIGIL_REDIS_WAIT_REPLICAS", "1", "SIGIL_REDIS_WAIT_TIMEOUT", "PT0.5S"), true);
        }
    }

    @Test
    void replicasOnRedisClusterSurviveAMasterKillAndAReplicaKill() throws Exception {
        try (RedisTopology redis = RedisTopology.cluster()) {
            scenario("cluster", redis, Map.of(), false);
        }
    }

    private void scenario(String name, RedisTopology redis, Map<String, String> settings, boolean noLoss) throws Exception {
        Path keys = Files.createTempDirectory("sigil-keys");
        KeyFiles.generate(keys, Instant.now().minusSeconds(60));
        String suffix = ProdProcess.randomSuffix();
        Map<String, String> env = new HashMap<>(ProdProcess.freshAdmin(suffix));
        env.putAll(redis.env());
        env.putAll(settings);
        env.put("SIGIL_KEYS_DIR", keys.toString());
        env.put("SIGIL_ISSUER", ISSUER); // one issuer: an access token from one replica is valid on the other
        String login = ProdProcess.login(suffix);
        try (ProdProcess a = ProdProcess.start(ProdProcess.freePort(), env);
             ProdProcess b = ProdProcess.start(ProdProcess.freePort(), env)) {
            a.awaitReady();
            b.awaitReady();
            List<ProdProcess> both = List.of(a, b);
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < CHAINS; i++) {
                HttpResponse<String> r = both.get(i % 2).postJson("/login", login);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                tokens.add(RefreshChains.cookieOf(r));
            }

            // Steady load, alternating replicas.
            RefreshChains steady = new RefreshChains(both, tokens);
            Duration steadyFor = Duration.ofSeconds(8);
            steady.run(steadyFor);
            assertThat(steady.errors).isEmpty();
            assertThat(steady.unavailable).hasValue(0);
            assertThat(steady.rotations.get()).isGreaterThan(CHAINS);
            System.out.printf("[%s] steady: %d chains, %.1f refresh/s, p99 %.1f ms, errors %d%n", name, CHAINS,
                    steady.rotations.get() / (double) steadyFor.toSeconds(), steady.p99Ms(), steady.errors.size());

            revocationOnOneReplicaHoldsOnTheOther(a, b, login);

            // A Redis master SIGKILLed under load.
            RefreshChains failover = new RefreshChains(both, steady.tokens);
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> run(failover, Duration.ofSeconds(25)));
            failover.awaitRotations(CHAINS * 5); // under load, whatever the machine's speed
            redis.kill(redis.firstMaster());
            load.get();
            List<String> lost = failover.errors.stream().filter(e -> e.contains("invalid_refresh_token")).toList();
            assertThat(failover.errors).as("only lost rotations may fail; never a 500 or a false reuse").containsExactlyElementsOf(lost);
            System.out.printf("[%s] failover: 503 for %.1f s (%d answers), rotations %d, lost %d%n", name,
                    failover.unavailableSeconds(), failover.unavailable.get(), failover.rotations.get(), lost.size());
            assertThat(failover.unavailable.get()).as("the kill was noticed").isPositive();
            if (noLoss) {
                assertThat(lost).as("acknowledged rotations lost").isEmpty();
            }
            everyChainContinues(both, failover, lost.size(), login);

            // A Sigil replica SIGKILLed under load: clients retry on the other one.
            RefreshChains replicaKill = new RefreshChains(both, failover.tokens);
            load = CompletableFuture.runAsync(() -> run(replicaKill, Duration.ofSeconds(8)));
            replicaKill.awaitRotations(CHAINS * 5);
            b.process.destroyForcibly();
            load.get();
            System.out.printf("[%s] sigil replica killed: rotations %d, errors %d%n", name, replicaKill.rotations.get(),
                    replicaKill.errors.size());
            assertThat(replicaKill.errors).isEmpty();
            everyChainContinues(List.of(a), replicaKill, 0, login);
        }
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
        for (int i = 0; i < CHAINS; i++) {
            ProdProcess p = replicas.get(i % replicas.size());
            HttpResponse<String> r = RefreshChains.refresh(p, chains.tokens.get(i));
            if (r.statusCode() == 200) {
                chains.tokens.set(i, RefreshChains.cookieOf(r));
                continued++;
            } else {
                chains.tokens.set(i, RefreshChains.cookieOf(replicas.get(0).postJson("/login", login)));
            }
        }
        assertThat(continued).isEqualTo(CHAINS - lost);
    }

    private static void revocationOnOneReplicaHoldsOnTheOther(ProdProcess a, ProdProcess b, String login) throws Exception {
        HttpResponse<String> r = a.postJson("/login", login);
        assertThat(r.statusCode()).isEqualTo(200);
        String access = r.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        String payload = new String(Base64.getUrlDecoder().decode(access.split("\\.")[1]));
        String sid = payload.replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
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
