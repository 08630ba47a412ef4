package dev.sigil.session;

import dev.sigil.support.UnitTest;
import dev.sigil.id.SessionId;
import dev.sigil.id.UserId;
import dev.sigil.support.TestIds;
import dev.sigil.support.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * session-create.lua run directly against the test Redis with the keys SessionKeys names: the session it
 * writes, the version check, and the cap, which ends only sessions whose keys the caller passed in KEYS.
 */
@SuppressWarnings("unchecked")
@UnitTest
class CreateScriptTest {

    static final long IDLE_MS = 600_000;
    private static final long ABSOLUTE_MS = 3_600_000;
    private static final long MARKER_MS = 60_000;

    private final UUID user = UUID.randomUUID();
    private final SessionKeys keys = SessionKeys.of(UserId.of(user));

    @AfterEach
    void clean() {
        List<String> left = TestRedis.keysOf(user);
        if (!left.isEmpty()) {
            List<String> del = new ArrayList<>(List.of("DEL"));
            del.addAll(left);
            TestRedis.call(del.toArray(String[]::new));
        }
    }

    static SessionId sid() {
        return new SessionId(TestIds.sessionId());
    }

    /** session-create.lua as SessionStore calls it, at the user's version {@code version}, naming {@code evict}. */
    static Object create(SessionKeys keys, SessionId sid, String hash, long version, int max, List<SessionId> evict) {
        List<String> args = new ArrayList<>(List.of(hash, Long.toString(IDLE_MS), Long.toString(ABSOLUTE_MS), sid.value(),
                "203.0.113.7", "agent", Long.toString(version), Integer.toString(max), Long.toString(MARKER_MS),
                "{\"username\":\"u\"}", "pwd", "1700000000"));
        evict.forEach(old -> args.add(old.value()));
        return ScriptCalls.eval("session-create", keys.create(sid, evict), args);
    }

    private Object create(SessionId sid, int max, List<SessionId> evict) {
        return create(keys, sid, "h-" + sid.value(), 0, max, evict);
    }

    @Test
    void aLoginWritesOneJsonSessionWithItsFirstGenerationAndIndexesIt() {
        SessionId sid = sid();

        List<Object> r = (List<Object>) create(sid, 50, List.of());

        assertThat(r).hasSize(2).first().isEqualTo("created");
        assertThat(Long.parseLong((String) r.get(1))).isBetween(1L, IDLE_MS);
        assertThat(TestRedis.call("TYPE", keys.session(sid))).isEqualTo("string");
        Map<String, String> s = TestRedis.session(keys.session(sid));
        assertThat(s).containsEntry("cur", "h-" + sid.value()).containsEntry("gen", "1").containsEntry("uv", "0")
                .containsEntry("sub", "{\"username\":\"u\"}").containsEntry("amr", "pwd").containsEntry("at", "1700000000")
                .containsEntry("ip", "203.0.113.7").containsEntry("ua", "agent").doesNotContainKey("prev");
        assertThat((Long) TestRedis.call("PTTL", keys.session(sid))).isBetween(1L, IDLE_MS);
        assertThat(TestRedis.call("ZSCORE", keys.index(), sid.value())).isNotNull();
        assertThat((Long) TestRedis.call("PTTL", keys.index())).isBetween(1L, IDLE_MS);
    }

    @Test
    void aVersionThatMovedSinceTheLoginReadTheUserWritesNothing() {
        TestRedis.call("SET", keys.version(), "3");
        SessionId sid = sid();

        assertThat(create(keys, sid, "h", 2, 50, List.of())).isEqualTo(List.of("stale"));

        assertThat(TestRedis.keysOf(user)).containsExactly(keys.version());
    }

    /** Two sessions at a cap of two, {@code older} used a second before {@code newer}. */
    private void atTheCap(SessionId older, SessionId newer) {
        create(older, 2, List.of());
        create(newer, 2, List.of());
        TestRedis.call("ZADD", keys.index(), "XX", Long.toString(System.currentTimeMillis() - 1000), older.value());
    }

    @Test
    void atTheCapTheLeastRecentlyUsedSessionIsNamedAndNothingIsWrittenUntilItsKeysArePassed() {
        SessionId older = sid();
        SessionId newer = sid();
        atTheCap(older, newer);
        SessionId third = sid();

        assertThat(create(third, 2, List.of())).isEqualTo(List.of("evict", older.value()));
        // Naming another session than the one the cap ends is not enough either.
        assertThat(create(third, 2, List.of(newer))).isEqualTo(List.of("evict", older.value()));

        assertThat(TestRedis.call("EXISTS", keys.session(third), keys.revokedSession(older), keys.revokedSession(newer))).isEqualTo(0L);
        assertThat(TestRedis.call("ZCARD", keys.index())).isEqualTo(2L);
        assertThat(TestRedis.call("EXISTS", keys.session(older), keys.session(newer))).isEqualTo(2L);
    }

    @Test
    void namedTheLeastRecentlyUsedSessionIsEndedWithItsMarkerAndReported() {
        SessionId older = sid();
        SessionId newer = sid();
        atTheCap(older, newer);
        SessionId third = sid();

        List<Object> r = (List<Object>) create(third, 2, List.of(older));

        assertThat(r.get(0)).isEqualTo("created");
        assertThat(r.subList(2, r.size())).containsExactly(older.value());
        assertThat(TestRedis.call("EXISTS", keys.session(older))).isEqualTo(0L);
        assertThat(TestRedis.call("GET", keys.revokedSession(older))).isEqualTo("1");
        assertThat((Long) TestRedis.call("PTTL", keys.revokedSession(older))).isBetween(1L, MARKER_MS);
        assertThat(TestRedis.call("ZSCORE", keys.index(), older.value())).isNull();
        assertThat(TestRedis.call("EXISTS", keys.session(newer), keys.session(third))).isEqualTo(2L);
        assertThat(TestRedis.call("ZCARD", keys.index())).isEqualTo(2L);
    }

    @Test
    void anIndexEntryIdleForLongerThanTheIdleLifetimeNeitherCountsNorNeedsNaming() {
        SessionId gone = sid();
        TestRedis.call("ZADD", keys.index(), Long.toString(System.currentTimeMillis() - IDLE_MS - 60_000), gone.value());
        SessionId sid = sid();

        List<Object> r = (List<Object>) create(sid, 1, List.of());

        assertThat(r).hasSize(2).first().isEqualTo("created");
        assertThat(TestRedis.call("ZSCORE", keys.index(), gone.value())).isNull();
        assertThat(TestRedis.call("EXISTS", keys.revokedSession(gone))).isEqualTo(0L);
    }

    @Test
    void aNamedSessionWhoseKeyAlreadyExpiredLeavesTheIndexWithoutAMarkerOrAReport() {
        SessionId expired = sid();
        TestRedis.call("ZADD", keys.index(), Long.toString(System.currentTimeMillis()), expired.value());
        SessionId sid = sid();

        List<Object> r = (List<Object>) create(sid, 1, List.of(expired));

        assertThat(r).hasSize(2).first().isEqualTo("created");
        assertThat(TestRedis.call("ZSCORE", keys.index(), expired.value())).isNull();
        assertThat(TestRedis.call("EXISTS", keys.revokedSession(expired))).isEqualTo(0L);
    }
}
