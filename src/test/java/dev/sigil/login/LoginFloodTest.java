package dev.sigil.login;

import dev.sigil.password.PasswordHasher;
import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No database connection is held through a password hash. With a pool of two connections and one
 * hashing thread, a flood of logins queues on the hashing pool; an admin call that needs the
 * database must still be answered while every login of the flood is still waiting for its hash.
 * (When login held its session through the hash, two logins pinned both connections and the admin
 * call waited for a hash to finish.) The test holds the only hashing thread itself until the admin
 * call is answered, so no login can finish early however slow the machine is.
 */
@QuarkusTest
@TestProfile(LoginFloodTest.TwoConnectionsOneHasher.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class LoginFloodTest {

    public static class TwoConnectionsOneHasher implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The logins wait for the held hashing thread; a long reservation lifetime keeps a busy machine's
            // slow admin call from turning them into 503s.
            return Map.of("quarkus.datasource.reactive.max-size", "2", "sigil.passwords.workers", "1",
                    "sigil.rate-limits.reservation-lifetime", "PT120S");
        }
    }

    @Inject
    PasswordHasher hasher;

    @Inject
    Vertx vertx;

    @Test
    void aLoginFloodHoldsNoConnectionSoAdminCallsAreServedWhileTheHashesQueue() throws Exception {
        TestUser admin = TestUsers.create("admin");
        String adminToken = Api.accessToken(Api.loggedIn(admin));
        List<TestUser> flooders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            flooders.add(TestUsers.create());
        }
        // Occupy the one hashing thread (the pool is shared by name) until the admin call has been answered.
        CountDownLatch release = new CountDownLatch(1);
        WorkerExecutor hashingPool = vertx.createSharedWorkerExecutor("sigil-password", 1);
        hashingPool.executeBlocking(() -> release.await(120, TimeUnit.SECONDS), false);

        HttpClient http = HttpClient.newHttpClient();
        URI login = URI.create("http://localhost:" + RestAssured.port + "/login");
        AtomicInteger loginsAnswered = new AtomicInteger();
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();

        try {
            // One login after the other (several users, so that no per-username limit of concurrent checks
            // answers 503), each sent once the previous one waits for the hashing thread; each has then done
            // its database read, and with two connections in the pool, holding them would leave none.
            for (TestUser u : flooders) {
                String body = "{\"username\":\"" + u.username() + "\",\"password\":\"" + u.password() + "\"}";
                flood.add(http.sendAsync(HttpRequest.newBuilder(login).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((r, e) -> loginsAnswered.incrementAndGet()));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (hasher.inFlight() < flood.size()) {
                    assertThat(loginsAnswered.get()).as("logins answered while the hashing thread is held").isZero();
                    assertThat(System.nanoTime()).as("the login never reached the hasher").isLessThan(deadline);
                    Thread.sleep(10);
                }
            }

            given().auth().oauth2(adminToken).get("/admin/users/" + admin.id()).then().statusCode(200);

            assertThat(loginsAnswered.get()).as("logins answered before the admin call was").isZero();
        } finally {
            release.countDown();
        }
        for (CompletableFuture<HttpResponse<String>> f : flood) {
            assertThat(f.get(120, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }
}
