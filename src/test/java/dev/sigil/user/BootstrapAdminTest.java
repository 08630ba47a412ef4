package dev.sigil.user;

import dev.sigil.support.Poll;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
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
     * machine). The lock is held from a second connection until PostgreSQL has shown two separate attempts
     * waiting for it (the first ended by lock_timeout, the retry), then released: no timing assumption.
     */
    @Test
    void aReplicaBehindTheAdminLockForLongerThanTheLockTimeoutStillStarts() throws Throwable {
        String role = TestUsers.uniqueName("role");
        String username = TestUsers.uniqueName("boot");
        ExecutorService holder = Executors.newSingleThreadExecutor();
        CountDownLatch locked = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Future<?> held = holder.submit(() -> {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(TestUsers.jdbc(), "postgres", "")) {
                c.setAutoCommit(false);
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute("select pg_advisory_xact_lock(7261001)");
                }
                locked.countDown();
                java.util.Set<String> attempts = new java.util.HashSet<>();
                Poll.until("a second attempt waiting for the admins' lock", Duration.ofSeconds(60), Duration.ofMillis(20),
                        () -> done.get() || waitingAttempts(c, attempts) >= 2);
                c.rollback();
            }
            return null;
        });
        locked.await();
        try {
            assertThat(VertxContextSupport.subscribeAndAwait(() -> users.createAdminIfNone(username, HASH, null, role))).isTrue();
        } finally {
            done.set(true);
            held.get();
            holder.shutdown();
        }
        assertThat(TestUsers.count("select count(*) from sigil.users where ? = any(roles)", role)).isEqualTo(1);
    }

    /** Adds the transactions now waiting for the admins' advisory lock to {@code seen}; how many it holds. */
    private static int waitingAttempts(java.sql.Connection c, java.util.Set<String> seen) throws java.sql.SQLException {
        try (java.sql.Statement clear = c.createStatement()) {
            clear.execute("select pg_stat_clear_snapshot()"); // pg_stat_activity is read once per transaction otherwise
        }
        try (java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("select a.pid, a.xact_start from pg_locks l join pg_stat_activity a on a.pid = l.pid"
                     + " where l.locktype = 'advisory' and l.objid = 7261001 and not l.granted")) {
            while (rs.next()) {
                seen.add(rs.getInt(1) + "@" + rs.getString(2));
            }
        }
        return seen.size();
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
