package dev.sigil.password;

import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class PasswordHasherTest {

    @Inject
    PasswordHasher hasher;

    @Inject
    Vertx vertx;

    @Test
    void hashesArePhcStringsAtOwaspMinimumAndVerify() {
        String phc = hasher.hash("correct horse battery").await().atMost(java.time.Duration.ofSeconds(10));
        assertThat(phc).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.verify(phc, "correct horse battery").await().indefinitely()).isTrue();
        assertThat(hasher.verify(phc, "correct horse batterz").await().indefinitely()).isFalse();
        assertThat(hasher.verify(null, "anything").await().indefinitely()).isFalse();
        assertThat(hasher.verify("$argon2id$garbage", "anything").await().indefinitely()).isFalse();
    }

    @Test
    void theServiceHashesWithTheNativeArgon2idWhereItLoadsAndBouncyCastleReadsItsHashes() {
        assertThat(hasher.implementation()).isEqualTo("native");
        String phc = hasher.hash("correct horse battery").await().atMost(java.time.Duration.ofSeconds(10));
        assertThat(new Argon2id(19456, 2, 1, Argon2Engine.bouncyCastle()).verify(phc, "correct horse battery")).isTrue();
    }

    @Test
    void argon2RefusesToRunOnAnEventLoopThread() throws Exception {
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        vertx.runOnContext(x -> {
            try {
                new Argon2id(19456, 2, 1).hash("x");
                seen.complete(null);
            } catch (Throwable t) {
                seen.complete(t);
            }
        });
        assertThat(seen.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("event-loop");
    }

    @Test
    void hashingCalledFromTheEventLoopRunsOnTheWorkerPoolAndReturnsToTheLoop() throws Exception {
        CompletableFuture<String> result = new CompletableFuture<>();
        vertx.runOnContext(x -> hasher.verify(null, "x")
                .subscribe().with(ok -> result.complete(Thread.currentThread().getName()), result::completeExceptionally));
        // Would fail with the event-loop guard if the hash ran on the loop; resumes on the caller's loop.
        assertThat(result.get(10, TimeUnit.SECONDS)).contains("eventloop");
    }

    @Test
    void overloadIsRefusedImmediatelyInsteadOfQueued() {
        // How many of 80 are refused depends on how fast the admitted ones finish (the exact cap is unit
        // tested in PasswordAdmissionTest); what holds on any machine: never more than the cap in flight,
        // so at most 80 - 64 refused, each refusal an immediate 503 with Retry-After, and no slot leaks.
        java.util.concurrent.atomic.AtomicInteger maxSeen = new java.util.concurrent.atomic.AtomicInteger();
        List<CompletableFuture<Object>> results = new ArrayList<>();
        for (int i = 0; i < 80; i++) { // max-in-flight is 64
            CompletableFuture<Object> f = new CompletableFuture<>();
            hasher.verify(null, "x").subscribe().with(f::complete, f::complete);
            maxSeen.accumulateAndGet(hasher.inFlight(), Math::max);
            results.add(f);
        }
        long refused = results.stream().map(CompletableFuture::join)
                .filter(r -> r instanceof SigilException e && e.code == ErrorCode.UNAVAILABLE && e.retryAfterSeconds > 0)
                .count();
        long other = results.stream().map(CompletableFuture::join).filter(r -> r instanceof Throwable).count() - refused;
        assertThat(other).isZero();
        assertThat(refused).isBetween(0L, 16L);
        assertThat(maxSeen.get()).isLessThanOrEqualTo(64);
        assertThat(hasher.inFlight()).isZero();
    }

    @Test
    void aHashThatIsBuiltButNeverSubscribedHoldsNoSlot() {
        for (int i = 0; i < 100; i++) {
            hasher.verify(null, "x"); // never subscribed, as when a chain fails before reaching it
        }
        assertThat(hasher.inFlight()).isZero();
        assertThat(hasher.verify(null, "x").await().atMost(java.time.Duration.ofSeconds(30))).isFalse();
    }

    @Test
    void weakerHashIsUpgradedAtTheNextSuccessfulLogin() {
        TestUser user = TestUsers.create();
        TestUsers.setPasswordHash(user.id(), new Argon2id(19456, 1, 1).hash(user.password()));
        Api.login(user).then().statusCode(200);
        assertThat(TestUsers.passwordHash(user.id())).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        Api.login(user).then().statusCode(200);
    }
}
