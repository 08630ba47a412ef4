package dev.sigil.throttle;

import dev.sigil.support.UnitTest;
import dev.sigil.support.TestRedis;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reserve and settle scripts on the real test Redis, without booting Sigil: what counts as in flight,
 * how a reservation of a process that died expires, and the per-username ceiling across addresses.
 */
@UnitTest
class LoginReservationScriptTest {

    static final int THRESHOLD = 5;
    static final long WINDOW_MS = 60_000;

    private static final String RESERVE = script("login-reserve");
    private static final String SETTLE = script("login-settle");

    private final String tag = "script-test-" + UUID.randomUUID();

    /** The script as Redis runs it (includes expanded); its last argument is the call's deadline, "0" for none. */
    private static String script(String name) {
        return dev.sigil.redis.LuaScript.text(name);
    }

    private String[] keys(String address) {
        String p = "sigil:rl:{" + tag + "}:";
        return new String[]{p + "fail:" + address, p + "user", p + "busy:" + address, p + "busy"};
    }

    /** 0 when reserved, else the ms to wait. */
    private long reserve(String address, String id, int ceiling, long lifetimeMs) {
        String[] k = keys(address);
        return (Long) TestRedis.call("EVAL", RESERVE, "4", k[0], k[1], k[2], k[3],
                Integer.toString(THRESHOLD), Integer.toString(ceiling), id, Long.toString(lifetimeMs), "0");
    }

    private long reserve(String address, String id) {
        return reserve(address, id, 1000, 60_000);
    }

    private long settle(String address, String id, String outcome, long baseMs) {
        String[] k = keys(address);
        return (Long) TestRedis.call("EVAL", SETTLE, "4", k[0], k[1], k[2], k[3], id, outcome,
                Integer.toString(THRESHOLD), Long.toString(baseMs), "900000", Long.toString(WINDOW_MS), "0");
    }

    /** Polls until {@code condition} holds, with a deadline far above the lifetimes used here. */
    private static boolean eventually(java.util.function.BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Test
    void checksInFlightCountLikeFailuresAlreadyMade() {
        for (int i = 0; i < THRESHOLD; i++) {
            assertThat(reserve("10.0.0.1", "r" + i)).isZero();
        }
        assertThat(reserve("10.0.0.1", "extra")).isNegative();
        settle("10.0.0.1", "r0", "failed", 60_000);  // 1 failure + 4 in flight: still full
        assertThat(reserve("10.0.0.1", "extra")).isNegative();
        settle("10.0.0.1", "r1", "released", 60_000); // no answer: frees the slot, counts nothing
        assertThat(reserve("10.0.0.1", "extra")).isZero();
        assertThat(TestRedis.hash(keys("10.0.0.1")[0])).containsEntry("n", "1");
        // Another address has its own allowance.
        assertThat(reserve("10.0.0.2", "elsewhere")).isZero();
    }

    @Test
    void theFailureAtTheThresholdLocksAndReservationsAreRefusedWhileLocked() {
        for (int i = 0; i < THRESHOLD; i++) {
            assertThat(reserve("10.0.0.1", "r" + i)).isZero();
        }
        long wait = 0;
        for (int i = 0; i < THRESHOLD; i++) {
            wait = settle("10.0.0.1", "r" + i, "failed", 60_000);
        }
        assertThat(wait).isEqualTo(60_000);
        assertThat(reserve("10.0.0.1", "next")).isBetween(1L, 60_000L);
    }

    @Test
    void afterALockoutChecksRunOneAtATime() {
        for (int i = 0; i < THRESHOLD; i++) {
            reserve("10.0.0.1", "r" + i);
            settle("10.0.0.1", "r" + i, "failed", 1); // a lockout of 1 ms
        }
        assertThat(eventually(() -> reserve("10.0.0.1", "first") == 0)).isTrue();
        assertThat(reserve("10.0.0.1", "second")).isNegative();
    }

    @Test
    void aSuccessResetsTheFailuresButNotTheOtherChecksInFlight() {
        for (int i = 0; i < THRESHOLD; i++) {
            reserve("10.0.0.1", "r" + i);
        }
        settle("10.0.0.1", "r0", "failed", 60_000);
        settle("10.0.0.1", "r1", "succeeded", 60_000);
        assertThat(TestRedis.hash(keys("10.0.0.1")[0])).isEmpty();
        // 3 still in flight, no failures: two more fit.
        assertThat(reserve("10.0.0.1", "a")).isZero();
        assertThat(reserve("10.0.0.1", "b")).isZero();
        assertThat(reserve("10.0.0.1", "c")).isNegative();
    }

    /** Redis's own clock, in ms (the scripts' time). */
    private static long redisNowMs() {
        List<?> t = (List<?>) TestRedis.call("TIME");
        return Long.parseLong((String) t.get(0)) * 1000 + Long.parseLong((String) t.get(1)) / 1000;
    }

    @Test
    void aReservationIsHeldForItsLifetimeAtMost() {
        long before = redisNowMs();
        assertThat(reserve("10.0.0.1", "r0", 1000, 45_000)).isZero();
        long after = redisNowMs();
        for (String key : List.of(keys("10.0.0.1")[2], keys("10.0.0.1")[3])) {
            double expires = Double.parseDouble((String) TestRedis.call("ZSCORE", key, "r0"));
            assertThat(expires).isBetween((double) before + 45_000, (double) after + 45_000);
            assertThat((Long) TestRedis.call("PTTL", key)).isBetween(1L, 45_000L);
        }
    }

    @Test
    void reservationsLeftByADeadProcessStopCountingOnceExpired() {
        // A process that died mid-check never settles: its entries stay until their expiry passes.
        long past = redisNowMs() - 1;
        String[] k = keys("10.0.0.1");
        for (int i = 0; i < THRESHOLD; i++) {
            TestRedis.call("ZADD", k[2], Long.toString(past), "dead" + i);
            TestRedis.call("ZADD", k[3], Long.toString(past), "dead" + i);
        }
        assertThat(reserve("10.0.0.1", "alive")).isZero();
        assertThat((Long) TestRedis.call("ZCARD", k[2])).isEqualTo(1L);
        for (int i = 1; i < THRESHOLD; i++) {
            assertThat(reserve("10.0.0.1", "alive" + i)).isZero();
        }
        assertThat(reserve("10.0.0.1", "one too many")).isNegative(); // unexpired entries do count
    }

    @Test
    void thePerUsernameCeilingCountsChecksInFlightFromEveryAddress() {
        int ceiling = 3;
        for (int i = 0; i < ceiling; i++) {
            assertThat(reserve("10.0.1." + i, "r" + i, ceiling, 60_000)).isZero();
        }
        assertThat(reserve("10.0.1.99", "extra", ceiling, 60_000)).isNegative();
        settle("10.0.1.0", "r0", "failed", 60_000);  // 1 failure + 2 in flight
        assertThat(reserve("10.0.1.99", "extra", ceiling, 60_000)).isNegative();
        settle("10.0.1.1", "r1", "succeeded", 60_000); // 1 failure + 1 in flight
        assertThat(reserve("10.0.1.99", "extra", ceiling, 60_000)).isZero();
    }

    @Test
    void everyKeyExpiresByItself() {
        reserve("10.0.0.1", "r0");
        settle("10.0.0.1", "r0", "failed", 60_000);
        reserve("10.0.0.1", "r1");
        for (String key : List.of(keys("10.0.0.1"))) {
            assertThat((Long) TestRedis.call("PTTL", key)).as(key).isBetween(1L, WINDOW_MS);
        }
    }

    /** A call resent after its reply was lost: the same reservation id again is not counted against itself. */
    @Test
    void aReservationRunTwiceWithOneIdIsReservedOnce() {
        for (int i = 0; i < THRESHOLD - 1; i++) {
            reserve("10.0.0.1", "r" + i);
            settle("10.0.0.1", "r" + i, "failed", 60_000); // 4 failures: one check may run at a time
        }
        assertThat(reserve("10.0.0.1", "once")).isZero();
        assertThat(reserve("10.0.0.1", "once")).isZero();
        String[] k = keys("10.0.0.1");
        assertThat((Long) TestRedis.call("ZCARD", k[2])).isEqualTo(1L);
        assertThat((Long) TestRedis.call("ZCARD", k[3])).isEqualTo(1L);
        assertThat(reserve("10.0.0.1", "another")).isEqualTo(-1000L); // a second check still waits for the first (load: 503)
    }
}
