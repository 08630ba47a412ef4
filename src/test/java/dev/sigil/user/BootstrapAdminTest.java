package dev.sigil.user;

import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class BootstrapAdminTest {

    @Inject
    UserService users;

    private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

    @Test
    void concurrentReplicasCreateExactlyOneBootstrapAdmin() throws Exception {
        // A fresh role name stands for "no admin exists yet" in the shared test database.
        String role = TestUsers.uniqueName("role");
        String username = TestUsers.uniqueName("boot");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Callable<Boolean> replica = () -> {
                start.await();
                try {
                    return VertxContextSupport.subscribeAndAwait(() -> users.createAdminIfNone(username, HASH, null, role));
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            };
            results.add(pool.submit(replica));
        }
        start.countDown();
        int created = 0;
        for (Future<Boolean> f : results) {
            created += f.get() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(created).isEqualTo(1);
        assertThat(TestUsers.count("select count(*) from sigil.users where ? = any(roles)", role)).isEqualTo(1);
    }

    /**
     * A replica that starts while another holds the admins' advisory lock longer than lock_timeout (2 s)
     * waits its turn instead of failing its start-up (seen with two replicas starting at once on a busy
     * machine). The lock is held here for 5 s from a second connection, then released.
     */
    @Test
    void aReplicaBehindTheAdminLockForLongerThanTheLockTimeoutStillStarts() throws Throwable {
        String role = TestUsers.uniqueName("role");
        String username = TestUsers.uniqueName("boot");
        ExecutorService holder = Executors.newSingleThreadExecutor();
        CountDownLatch locked = new CountDownLatch(1);
        Future<?> held = holder.submit(() -> {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(TestUsers.jdbc(), "postgres", "")) {
                c.setAutoCommit(false);
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute("select pg_advisory_xact_lock(7261001)");
                }
                locked.countDown();
                Thread.sleep(5_000);
                c.rollback();
            }
            return null;
        });
        locked.await();
        try {
            assertThat(VertxContextSupport.subscribeAndAwait(() -> users.createAdminIfNone(username, HASH, null, role))).isTrue();
        } finally {
            held.get();
            holder.shutdown();
        }
        assertThat(TestUsers.count("select count(*) from sigil.users where ? = any(roles)", role)).isEqualTo(1);
    }

    @Test
    void bootstrapIsIdempotentAcrossRestarts() throws Throwable {
        String role = TestUsers.uniqueName("role");
        String username = TestUsers.uniqueName("boot");
        assertThat(VertxContextSupport.subscribeAndAwait(() -> users.createAdminIfNone(username, HASH, null, role))).isTrue();
        assertThat(VertxContextSupport.subscribeAndAwait(() -> users.createAdminIfNone(username, HASH, null, role))).isFalse();
        assertThat(VertxContextSupport.subscribeAndAwait(() -> users.createAdminIfNone(username + "x", HASH, null, role))).isFalse();
        assertThat(TestUsers.count("select count(*) from sigil.users where ? = any(roles)", role)).isEqualTo(1);
    }

    @Test
    void theConfiguredBootstrapEmailIsVerified() throws Throwable {
        String role = TestUsers.uniqueName("role");
        String username = TestUsers.uniqueName("boot");
        assertThat(VertxContextSupport.subscribeAndAwait(() -> users.createAdminIfNone(username, HASH, "ops@example.com", role))).isTrue();
        assertThat(TestUsers.count("select count(*) from sigil.users where username = ? and email_verified", username)).isEqualTo(1);
    }
}
