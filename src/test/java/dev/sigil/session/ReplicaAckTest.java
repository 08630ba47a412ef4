package dev.sigil.session;

import dev.sigil.support.Poll;
import dev.sigil.support.Api;
import dev.sigil.support.RedisProcess;
import dev.sigil.support.SetCookie;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

/**
 * sigil.redis.wait-replicas=1 on a Redis without a replica: WAIT, batched with the change, gets no
 * acknowledgement within wait-timeout, so a session change is not confirmed to the client: 503 with
 * Retry-After. With a replica the same changes are confirmed, also when Redis has forgotten the scripts
 * (the NOSCRIPT fallback inside the batch). RedisTopologiesIT covers failovers on Sentinel and Cluster.
 */
@QuarkusTest
@TestProfile(ReplicaAckTest.WaitForAReplica.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class ReplicaAckTest {

    static final RedisProcess REDIS = new RedisProcess(RedisKilledMidRequestTest.freePort());
    static final RedisProcess REPLICA = new RedisProcess(RedisKilledMidRequestTest.freePort(), null,
            "--replicaof", "127.0.0.1", Integer.toString(REDIS.port()), "--dir", "target"); // its sync file stays out of the worktree

    public static class WaitForAReplica implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String url = "redis://127.0.0.1:" + REDIS.port();
            return Map.of("quarkus.redis.hosts", url, "%test.quarkus.redis.hosts", url,
                    "sigil.redis.wait-replicas", "1", "sigil.redis.wait-timeout", "PT0.2S");
        }
    }

    @BeforeEach
    void redisIsUp() {
        REDIS.start();
    }

    @AfterAll
    static void stopRedis() {
        REPLICA.stop();
        REDIS.stop();
    }

    @Test
    void aLoginThatNoReplicaAcknowledgedIsNotConfirmed() {
        REPLICA.stop();
        Response r = Api.login(TestUsers.create());
        r.then().statusCode(503).body("code", equalTo("unavailable")).header("Retry-After", equalTo("5"));
        SetCookie.assertSetsNoCookie(r);
    }

    @Test
    void changesThatAReplicaAcknowledgedAreConfirmedEvenAfterRedisForgotItsScripts() throws Exception {
        REPLICA.start();
        Poll.until("replica in sync", java.time.Duration.ofSeconds(20), java.time.Duration.ofMillis(50),
                () -> String.valueOf(REPLICA.call("INFO", "replication")).contains("master_link_status:up"));
        REDIS.call("SCRIPT", "FLUSH");
        Response login = Api.login(TestUsers.create());
        login.then().statusCode(200);
        REDIS.call("SCRIPT", "FLUSH");
        Api.refresh(Api.refreshCookie(login)).then().statusCode(200);
    }
}
