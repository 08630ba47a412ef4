package dev.sigil.login;

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
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 30, finding 5: with sigil.users locked, blocked logins held every pooled connection, and a grant
 * (which reads only the clients table) got 503 after the acquire timeout. Logins' database work runs
 * within sigil.postgresql.login-share (4 of 6 connections here); a login over it answers 503 at once, and
 * the rest of the pool serves everything else. The lock timeout is raised here so that the blocked
 * logins are certainly still waiting while the grant is answered.
 */
@QuarkusTest
@TestProfile(LoginShareTest.SixConnections.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class LoginShareTest {

    static final int SHARE = 4;

    public static class SixConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", "6", "sigil.postgresql.login-share", String.valueOf(SHARE),
                    "quarkus.datasource.reactive.additional-properties.lock_timeout", "20000",
                    "quarkus.datasource.reactive.additional-properties.statement_timeout", "30000");
        }
    }

    @Test
    void loginsBehindALockedUsersTableTakeOnlyTheirShareSoAGrantIsServed() throws Exception {
        String adminToken = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        String clientId = "share-" + UUID.randomUUID().toString().substring(0, 12);
        Response created = given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("client_id", clientId, "scopes", List.of("orders.read"), "default_scopes", List.of("orders.read"),
                        "audience", List.of("orders-api"))).post("/admin/clients");
        created.then().statusCode(201);
        String secret = created.jsonPath().getString("client_secret");
        grant(clientId, secret).then().statusCode(200);
        // The version moves, so the next grant misses the cache and reads sigil.clients.
        given().auth().oauth2(adminToken).contentType(ContentType.JSON).body(Map.of("token_lifetime", 60))
                .patch("/admin/clients/" + clientId).then().statusCode(200);
        int logins = SHARE + 3;
        List<TestUser> users = new ArrayList<>();
        for (int i = 0; i < logins; i++) {
            users.add(TestUsers.create());
        }

        HttpClient http = HttpClient.newHttpClient();
        URI login = URI.create("http://localhost:" + RestAssured.port + "/login");
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        try (Connection locker = DriverManager.getConnection(TestUsers.jdbc(), "postgres", "")) {
            locker.setAutoCommit(false);
            try (Statement st = locker.createStatement()) {
                st.execute("LOCK TABLE sigil.users IN ACCESS EXCLUSIVE MODE");
            }
            for (TestUser u : users) {
                String body = "{\"username\":\"" + u.username() + "\",\"password\":\"" + u.password() + "\"}";
                flood.add(http.sendAsync(HttpRequest.newBuilder(login).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            // The logins over the share answer at once, long before the lock timeout (20 s).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (flood.stream().filter(CompletableFuture::isDone).count() < logins - SHARE && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<HttpResponse<String>> refused = flood.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).toList();
            assertThat(refused).as("logins answered while the table is locked").hasSize(logins - SHARE);
            assertThat(refused).allSatisfy(r -> {
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                assertThat(r.body()).contains("\"code\":\"unavailable\"");
            });

            grant(clientId, secret).then().statusCode(200);
            assertThat(flood.stream().filter(CompletableFuture::isDone).count())
                    .as("logins answered before the grant was").isEqualTo(logins - SHARE);
            locker.rollback();
        }
        // The logins within the share were waiting for the lock, and go through once it is gone.
        int served = 0;
        for (CompletableFuture<HttpResponse<String>> f : flood) {
            served += f.get(60, TimeUnit.SECONDS).statusCode() == 200 ? 1 : 0;
        }
        assertThat(served).as("logins within the share, served after the lock").isEqualTo(SHARE);
    }

    private static Response grant(String clientId, String secret) {
        return given().auth().preemptive().basic(clientId, secret).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").post("/oauth2/token");
    }
}
