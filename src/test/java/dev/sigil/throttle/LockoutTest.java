package dev.sigil.throttle;

import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Growing lockouts per (username, client address): defaults, 5 failures then 1 s, 2 s, 4 s ... */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class LockoutTest {

    private static String randomAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    private static Response login(String username, String password, String address) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password)).post("/login");
    }

    private static void failTimes(String username, String address, int n) {
        for (int i = 0; i < n; i++) {
            login(username, "wrong password " + i, address).then().statusCode(401).body("code", equalTo("invalid_credentials"));
        }
    }

    @Test
    void repeatedFailuresLockTheUsernameAtThatAddressWithGrowingWaits() throws Exception {
        TestUser user = TestUsers.create();
        String address = randomAddress();
        failTimes(user.username(), address, 5);

        // Locked for 1 s: even the right password is refused, with a Retry-After.
        login(user.username(), user.password(), address).then().statusCode(429)
                .contentType("application/problem+json").body("code", equalTo("rate_limited"))
                .header("Retry-After", "1");
        Thread.sleep(1100);
        failTimes(user.username(), address, 1);
        login(user.username(), user.password(), address).then().statusCode(429).header("Retry-After", "2");
    }

    @Test
    void aSuccessResetsTheFailures() {
        TestUser user = TestUsers.create();
        String address = randomAddress();
        failTimes(user.username(), address, 4);
        login(user.username(), user.password(), address).then().statusCode(200);
        failTimes(user.username(), address, 4);
        login(user.username(), user.password(), address).then().statusCode(200);
    }

    @Test
    void aLockoutAtOneAddressDoesNotLockTheUserOutEverywhere() {
        TestUser user = TestUsers.create();
        String attacker = randomAddress();
        failTimes(user.username(), attacker, 5);
        login(user.username(), user.password(), attacker).then().statusCode(429);
        login(user.username(), user.password(), randomAddress()).then().statusCode(200);
    }

    @Test
    void unknownUsernamesAreThrottledExactlyLikeKnownOnes() {
        String address = randomAddress();
        String nobody = TestUsers.uniqueName("nobody");
        failTimes(nobody, address, 5);
        login(nobody, "anything at all", address).then().statusCode(429).body("code", equalTo("rate_limited"));
    }

    @Test
    void throttleStateExpiresByItself() {
        String address = randomAddress();
        failTimes(TestUsers.uniqueName("ttl"), address, 2);
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) TestRedis.call("KEYS", "sigil:rl:*:fail:" + address);
        assertThat(keys).hasSize(1);
        assertThat((Long) TestRedis.call("PTTL", keys.get(0))).isBetween(1L, 3_600_000L);
        assertThat(keys.get(0)).doesNotContain("ttl-"); // usernames are stored hashed
    }
}
