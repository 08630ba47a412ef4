package dev.sigil.session;

import dev.sigil.id.SessionId;
import dev.sigil.id.UserId;
import dev.sigil.redis.LuaScript;
import dev.sigil.support.UnitTest;
import dev.sigil.support.TestIds;
import dev.sigil.support.TestRedis;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * session-revoke.lua run directly against the test Redis, with the keys SessionStore passes: a session
 * counts (and its key goes) only when it is in the user's index, whatever other keys its id happens to name.
 */
@UnitTest
class RevokeScriptTest {

    private static final String SOURCE = LuaScript.text("session-revoke");

    private final SessionKeys keys = SessionKeys.of(UserId.of(UUID.randomUUID()));

    private static SessionId sid() {
        return new SessionId(TestIds.sessionId());
    }

    /** A session as session-create.lua writes it, with a short TTL so nothing outlives the test. */
    private String seed(SessionId sid) {
        String s = keys.session(sid);
        TestRedis.call("SET", s, "{\"cur\":\"h1\",\"gen\":\"1\",\"created\":\"1\"}", "PX", "60000");
        return s;
    }

    private Object revoke(SessionId... sids) {
        List<String> argv = new ArrayList<>(List.of("EVAL", SOURCE, Integer.toString(1 + 2 * sids.length), keys.index()));
        for (SessionId sid : sids) {
            argv.addAll(List.of(keys.session(sid), keys.revokedSession(sid)));
        }
        argv.add("60000");
        for (SessionId sid : sids) {
            argv.add(sid.value());
        }
        argv.add("0"); // the deadline LuaScript adds (0: none)
        return TestRedis.call(argv.toArray(String[]::new));
    }

    private void index(SessionId sid) {
        TestRedis.call("ZADD", keys.index(), Long.toString(System.currentTimeMillis() + 60_000), sid.value());
        TestRedis.call("PEXPIRE", keys.index(), "60000");
    }

    @Test
    void aSessionOutsideTheUsersIndexIsNotRevokedAndKeepsItsKey() {
        SessionId sid = sid();
        String session = seed(sid);
        index(sid()); // the user has some other session

        assertThat(revoke(sid)).isEqualTo(0L);

        assertThat(TestRedis.call("EXISTS", session)).isEqualTo(1L);
        assertThat(TestRedis.call("EXISTS", keys.revokedSession(sid))).isEqualTo(0L);
    }

    @Test
    void anIndexedSessionCountsOnceAndLosesItsKey() {
        SessionId a = sid();
        SessionId b = sid();
        String sa = seed(a);
        String sb = seed(b);
        index(a);
        index(b);

        assertThat(revoke(a, b, sid())).isEqualTo(2L);

        assertThat(TestRedis.call("EXISTS", sa, sb)).isEqualTo(0L);
        assertThat(TestRedis.call("ZCARD", keys.index())).isEqualTo(0L);
        assertThat(TestRedis.call("EXISTS", keys.revokedSession(a))).isEqualTo(1L);
        assertThat(TestRedis.call("EXISTS", keys.revokedSession(b))).isEqualTo(1L);
        TestRedis.call("DEL", keys.revokedSession(a), keys.revokedSession(b));
    }
}
