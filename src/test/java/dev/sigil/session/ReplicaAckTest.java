package dev.sigil.session;

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
 * sigil.redis.wait-replicas=1 on a Redis that has no replica: WAIT runs on the connection that wrote
 * and gets no acknowledgement within wait-timeout, so a session change is not confirmed to the client:
 * 503 with Retry-After (with replicas, RedisTopologiesIT shows 200 and no loss in a failover).
 */
@QuarkusTest
@TestProfile(ReplicaAckTest.WaitForAReplica.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class ReplicaAckTest {

    static final RedisProcess REDIS = new RedisProcess(RedisKilledMidRequestTest.freePort());

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
        REDIS.stop();
    }

    @Test
    void aLoginThatNoReplicaAcknowledgedIsNotConfirmed() {
        Response r = Api.login(TestUsers.create());
        r.then().statusCode(503).body("code", equalTo("unavailable")).header("Retry-After", equalTo("5"));
        SetCookie.assertSetsNoCookie(r);
    }
}
