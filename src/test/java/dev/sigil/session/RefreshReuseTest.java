package dev.sigil.session;

import dev.sigil.support.Api;
import dev.sigil.support.SetCookie;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Grace period, reuse detection and racing refreshes, with the default 10 s grace period. */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class RefreshReuseTest {

    @TestHTTPResource("/refresh-token")
    URI refreshUri;

    @Test
    void predecessorWithinTheGracePeriodGetsTheSameSuccessor() {
        TestUser user = TestUsers.create();
        String first = Api.refreshCookie(Api.loggedIn(user));
        Response winner = Api.refresh(first);
        winner.then().statusCode(200);

        Response late = Api.refresh(first);

        late.then().statusCode(200).header("Cache-Control", "no-store").body("token_type", equalTo("Bearer"));
        SetCookie successor = SetCookie.refreshCookie(winner);
        SetCookie again = SetCookie.refreshCookie(late);
        assertThat(again.value()).isEqualTo(successor.value()).isNotEqualTo(first);
        assertThat(again.attributes()).containsEntry("path", "/refresh-token").containsKeys("httponly", "secure");
        assertThat(again.maxAge()).isPositive();
        // A fresh access token for the same session, and no second rotation.
        assertThat(Api.accessToken(late)).isNotEqualTo(Api.accessToken(winner));
        assertThat(RefreshTokens.sidOf(late)).isEqualTo(RefreshTokens.sidOf(winner));
        Api.me(Api.accessToken(late)).then().statusCode(200);
        assertThat(TestRedis.session(TestRedis.prefix(user.id()) + "s:" + RefreshTokens.sid(first))).containsEntry("gen", "2");
        // The one live token is the successor: it rotates normally.
        Api.refresh(successor.value()).then().statusCode(200);
    }

    @Test
    void reusedRefreshTokenRevokesTheWholeSession() {
        // Generation n-2 comes back while generation n-1 is still within its grace period.
        TestUser user = TestUsers.create();
        Response login = Api.loggedIn(user);
        String first = Api.refreshCookie(login);
        Response second = Api.refresh(first);
        Response third = Api.refresh(Api.refreshCookie(second));
        third.then().statusCode(200);

        Response reuse = Api.refresh(first);

        reuse.then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("refresh_token_reused"));
        SetCookie.assertClearsRefreshCookie(reuse);
        Response newest = Api.refresh(Api.refreshCookie(third));
        newest.then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
        SetCookie.assertClearsRefreshCookie(newest);
        for (Response issued : List.of(login, second, third)) {
            Api.me(Api.accessToken(issued)).then().statusCode(401).body("code", equalTo("invalid_token"))
                    .header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"The access token has been revoked\"");
        }
        assertThat(TestRedis.call("ZSCORE", TestRedis.prefix(user.id()) + "sessions", RefreshTokens.sid(first))).isNull();
    }

    @Test
    void concurrentRefreshesWithOneTokenRotateExactlyOnce() throws Exception {
        TestUser user = TestUsers.create();
        String token = Api.refreshCookie(Api.loggedIn(user));
        int n = 50;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(refreshUri).timeout(Duration.ofSeconds(30))
                .header("Cookie", Api.COOKIE + "=" + token).POST(HttpRequest.BodyPublishers.noBody()).build();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return http.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                responses.add(f.get(60, TimeUnit.SECONDS));
            }

            assertThat(responses).extracting(HttpResponse::statusCode).as("statuses").containsOnly(200);
            List<String> successors = responses.stream()
                    .map(r -> r.headers().allValues("Set-Cookie").stream().map(SetCookie::parse)
                            .filter(c -> c.name().equals(Api.COOKIE)).map(SetCookie::value).findFirst().orElse(null))
                    .toList();
            assertThat(successors).doesNotContainNull().hasSize(n);
            assertThat(successors.stream().distinct().toList()).as("distinct successor cookies").hasSize(1);
            String successor = successors.get(0);
            assertThat(successor).isNotEqualTo(token);
            assertThat(TestRedis.session(TestRedis.prefix(user.id()) + "s:" + RefreshTokens.sid(token)))
                    .containsEntry("gen", "2")
                    .containsEntry("cur", RefreshTokens.hash(successor))
                    .containsEntry("prev", RefreshTokens.hash(token));

            Response next = Api.refresh(successor);
            next.then().statusCode(200);
            assertThat(Api.refreshCookie(next)).isNotEqualTo(successor);
        } finally {
            pool.shutdownNow();
        }
    }
}
