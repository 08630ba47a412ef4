package dev.sigil.session;

import dev.sigil.support.UnitTest;
import dev.sigil.support.TestIds;
import dev.sigil.support.TestRedis;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * session-revoke.lua run directly against the test Redis: a session counts (and its keys go) only when
 * it is in the user's index, whatever other keys its id happens to name.
 */
@UnitTest
class RevokeScriptTest {

    private static final String SOURCE = load();

    private static String load() {
        try (InputStream in = RevokeScriptTest.class.getResourceAsStream("/lua/session-revoke.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private final String prefix = "sigil:{" + UUID.randomUUID() + "}:";

    /** Keys of one session, as SessionKeys names them, each created with a short TTL so nothing outlives the test. */
    private List<String> seed(String sid) {
        String s = prefix + "s:" + sid;
        TestRedis.call("HSET", s, "cur", "h1", "created", "1");
        TestRedis.call("SADD", s + ":old", "h0");
        TestRedis.call("SET", s + ":next", "sealed");
        for (String k : List.of(s, s + ":old", s + ":next")) {
            TestRedis.call("PEXPIRE", k, "60000");
        }
        return List.of(s, s + ":old", s + ":next");
    }

    private Object revoke(String... sids) {
        List<String> argv = new ArrayList<>(List.of("EVAL", SOURCE, Integer.toString(2 + 4 * sids.length), prefix + "sessions", prefix + "nbf"));
        for (String sid : sids) {
            argv.addAll(List.of(prefix + "s:" + sid, prefix + "s:" + sid + ":old", prefix + "s:" + sid + ":next", prefix + "rsid:" + sid));
        }
        argv.addAll(List.of("60000", "0", "60000"));
        argv.addAll(List.of(sids));
        return TestRedis.call(argv.toArray(String[]::new));
    }

    private void index(String sid) {
        TestRedis.call("ZADD", prefix + "sessions", Long.toString(System.currentTimeMillis() + 60_000), sid);
        TestRedis.call("PEXPIRE", prefix + "sessions", "60000");
    }

    @Test
    void aSessionOutsideTheUsersIndexIsNotRevokedAndKeepsItsKeys() {
        String sid = TestIds.sessionId();
        List<String> keys = seed(sid);
        index(TestIds.sessionId()); // the user has some other session

        assertThat(revoke(sid)).isEqualTo(0L);

        for (String k : keys) {
            assertThat(TestRedis.call("EXISTS", k)).as(k).isEqualTo(1L);
        }
        assertThat(TestRedis.call("EXISTS", prefix + "rsid:" + sid)).isEqualTo(0L);
    }

    @Test
    void anIndexedSessionCountsOnceAndLosesEveryKey() {
        String a = TestIds.sessionId();
        String b = TestIds.sessionId();
        List<String> keys = new ArrayList<>(seed(a));
        keys.addAll(seed(b));
        index(a);
        index(b);

        assertThat(revoke(a, b, TestIds.sessionId())).isEqualTo(2L);

        for (String k : keys) {
            assertThat(TestRedis.call("EXISTS", k)).as(k).isEqualTo(0L);
        }
        assertThat(TestRedis.call("ZCARD", prefix + "sessions")).isEqualTo(0L);
        assertThat(TestRedis.call("EXISTS", prefix + "rsid:" + a)).isEqualTo(1L);
        assertThat(TestRedis.call("EXISTS", prefix + "rsid:" + b)).isEqualTo(1L);
        TestRedis.call("DEL", prefix + "rsid:" + a, prefix + "rsid:" + b);
    }
}
