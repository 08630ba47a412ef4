package dev.sigil.login;

import dev.sigil.password.Argon2id;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No database connection is held through a password hash. With a pool of two connections and one
 * hashing thread, a flood of slow logins queues on the hashing pool; an admin call that needs the
 * database must still be answered while every login of the flood is still waiting for its hash.
 * (When login held its session through the hash, two logins pinned both connections and the admin
 * call waited for the first hash to finish.)
 */
@QuarkusTest
@TestProfile(LoginFloodTest.TwoConnectionsOneHasher.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class LoginFloodTest {

    public static class TwoConnectionsOneHasher implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", "2", "sigil.passwords.workers", "1");
        }
    }

    @Inject
    PasswordHasher hasher;

    @Test
    void aLoginFloodHoldsNoConnectionSoAdminCallsAreServedWhileTheHashesQueue() throws Exception {
        TestUser admin = TestUsers.create("admin");
        String adminToken = Api.accessToken(Api.loggedIn(admin));
        TestUser flooded = TestUsers.create();
        // A deliberately slow stored hash (30 iterations): each verification takes about a second here.
        TestUsers.setPasswordHash(flooded.id(), new Argon2id(19456, 30, 1).hash(flooded.password()));

        HttpClient http = HttpClient.newHttpClient();
        URI login = URI.create("http://localhost:" + RestAssured.port + "/login");
        String body = "{\"username\":\"" + flooded.username() + "\",\"password\":\"" + flooded.password() + "\"}";
        AtomicInteger loginsAnswered = new AtomicInteger();
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            flood.add(http.sendAsync(HttpRequest.newBuilder(login).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> loginsAnswered.incrementAndGet()));
        }
        // Wait (with a deadline) until the flood occupies the hashing pool: at least two hashes in flight.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (hasher.inFlight() < 2) {
            assertThat(System.nanoTime()).as("the flood never reached the hasher").isLessThan(deadline);
            Thread.sleep(10);
        }

        given().auth().oauth2(adminToken).get("/admin/users/" + admin.id()).then().statusCode(200);

        assertThat(loginsAnswered.get()).as("logins answered before the admin call was").isZero();
        for (CompletableFuture<HttpResponse<String>> f : flood) {
            assertThat(f.get(120, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }
}
