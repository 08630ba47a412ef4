package dev.sigil.throttle;

import dev.sigil.support.UnitTest;
import dev.sigil.support.TestRedis;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * client-check.lua, client-failed.lua and the 'init' step of client-version-change.lua on the real test
 * Redis, without booting Sigil: an unknown id leaves no key, a right credential passes a lockout, and a
 * version is created only for a client that has none.
 */
@UnitTest
class ClientCheckScriptTest {

    private static final String CHECK = script("client-check");
    private static final String FAILED = script("client-failed");
    private static final String VERSION = script("client-version-change");
    private static final long DAY_MS = 24 * 3600 * 1000L;

    private final String id = "script-" + UUID.randomUUID().toString().substring(0, 8);
    private final String failures = "sigil:rl:{c:" + id + "}:fail:203.0.113.9";
    private final String version = "sigil:{c:" + id + "}:v";

    /** The script as Redis runs it (includes expanded); its last argument is the call's deadline, "0" for none. */
    private static String script(String name) {
        return dev.sigil.redis.LuaScript.text(name);
    }

    @SuppressWarnings("unchecked")
    private List<Object> check(String passedVersion) {
        return (List<Object>) TestRedis.call("EVAL", CHECK, "2", failures, version, passedVersion, Long.toString(DAY_MS), "0");
    }

    private long failed() {
        return (Long) TestRedis.call("EVAL", FAILED, "1", failures, "3", "1000", "900000", "3600000", "0");
    }

    private long exists(String key) {
        return (Long) TestRedis.call("EXISTS", key);
    }

    @Test
    void anIdWithoutAVersionIsReadAndNothingIsWritten() {
        List<Object> r = check("");
        assertThat(r.get(0)).isEqualTo(0L);
        assertThat(r.get(1)).isNull();
        assertThat(r.subList(2, 5)).containsExactly(0L, 0L, 0L);
        assertThat(check("some-cached-version").get(0)).isEqualTo(0L);
        assertThat(exists(version) + exists(failures)).isZero();
    }

    @Test
    void aCredentialMatchingTheCurrentVersionPassesEvenWhileLockedAndResetsTheFailures() {
        TestRedis.call("HSET", version, "v", "v1", "n", "0");
        for (int i = 0; i < 3; i++) {
            failed();
        }
        List<Object> locked = check("");
        assertThat(((Long) locked.get(3))).isPositive(); // the lockout is reported, not enforced, here
        assertThat(locked.get(4)).isEqualTo(3L);
        assertThat(check("v0").get(0)).isEqualTo(0L); // an older record: no pass
        assertThat(check("v1")).containsExactly(1L);
        assertThat(exists(failures)).isZero();
    }

    @Test
    void noPassWhileAnAdminChangeIsInFlight() {
        TestRedis.call("HSET", version, "v", "v1", "n", "1");
        List<Object> r = check("v1");
        assertThat(r.get(0)).isEqualTo(0L);
        assertThat(r.get(2)).isEqualTo(1L);
    }

    @Test
    void failuresLockFromTheThresholdOnWithGrowingWaits() {
        assertThat(failed()).isZero();
        assertThat(failed()).isZero();
        assertThat(failed()).isEqualTo(1000L);
        assertThat(failed()).isEqualTo(2000L);
        assertThat((Long) TestRedis.call("PTTL", failures)).isPositive();
    }

    @Test
    void initSetsAVersionOnlyWhereThereIsNone() {
        assertThat(TestRedis.call("EVAL", VERSION, "1", version, "init", "fresh", "600000", Long.toString(DAY_MS), "0")).isEqualTo(1L);
        assertThat(TestRedis.hash(version)).containsEntry("v", "fresh");
        assertThat((Long) TestRedis.call("PTTL", version)).isPositive();
        assertThat(TestRedis.call("EVAL", VERSION, "1", version, "init", "other", "600000", Long.toString(DAY_MS), "0")).isEqualTo(0L);
        assertThat(TestRedis.hash(version)).containsEntry("v", "fresh");
    }

    @Test
    void aCheckRenewsTheVersionOfAClientInUse() {
        TestRedis.call("HSET", version, "v", "v1", "n", "0");
        TestRedis.call("PEXPIRE", version, "1000000");
        check("");
        assertThat((Long) TestRedis.call("PTTL", version)).isGreaterThan(1_000_000L);
    }
}
