package dev.sigil.session;

import dev.sigil.support.UnitTest;
import dev.sigil.id.SessionId;
import dev.sigil.id.UserId;
import dev.sigil.support.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * session-rotate.lua run directly against the test Redis with the keys SessionKeys names, on a session that
 * session-create.lua wrote (token hash "h1", generation 1): rotation, grace, reuse, invalid and stale.
 */
@SuppressWarnings("unchecked")
@UnitTest
class RotateScriptTest {

    private static final long GRACE_MS = 60_000;
    private static final long MARKER_MS = 60_000;

    private final UUID user = UUID.randomUUID();
    private final SessionKeys keys = SessionKeys.of(UserId.of(user));
    private final SessionId sid = CreateScriptTest.sid();

    @BeforeEach
    void login() {
        assertThat(((List<Object>) CreateScriptTest.create(keys, sid, "h1", 0, 50, List.of())).get(0)).isEqualTo("created");
    }

    @AfterEach
    void clean() {
        List<String> del = new ArrayList<>(List.of("DEL"));
        del.addAll(TestRedis.keysOf(user));
        if (del.size() > 1) {
            TestRedis.call(del.toArray(String[]::new));
        }
    }

    /** Presents {@code hash} of generation {@code generation}; its successor would be {@code next}, sealed as "sealed-" + next. */
    private List<Object> rotate(String hash, int generation, String next, long graceMs, String freshVersion, String freshSubject) {
        return (List<Object>) ScriptCalls.eval("session-rotate", keys.rotate(sid), List.of(hash, next, "sealed-" + next,
                Long.toString(CreateScriptTest.IDLE_MS), Long.toString(graceMs), sid.value(), Long.toString(MARKER_MS),
                "198.51.100.4", "agent 2", freshVersion, freshSubject, Integer.toString(generation), Integer.toString(generation + 1)));
    }

    private List<Object> rotate(String hash, int generation, String next) {
        return rotate(hash, generation, next, GRACE_MS, "", "");
    }

    private Map<String, String> session() {
        return TestRedis.session(keys.session(sid));
    }

    private void assertRevoked() {
        assertThat(TestRedis.call("EXISTS", keys.session(sid))).isEqualTo(0L);
        assertThat(TestRedis.call("ZSCORE", keys.index(), sid.value())).isNull();
        assertThat(TestRedis.call("GET", keys.revokedSession(sid))).isEqualTo("1");
    }

    @Test
    void theCurrentTokenRotatesAndTheSessionKeepsTheSuccessorSealedForTheGracePeriod() {
        List<Object> r = rotate("h1", 1, "h2");

        assertThat(r).hasSize(7);
        assertThat(r.get(0)).isEqualTo("rotated");
        assertThat(Long.parseLong((String) r.get(1))).isBetween(1L, CreateScriptTest.IDLE_MS);
        assertThat(r.subList(2, 7)).containsExactly("", "{\"username\":\"u\"}", "0", "pwd", "1700000000");
        assertThat(session()).containsEntry("cur", "h2").containsEntry("prev", "h1").containsEntry("gen", "2")
                .containsEntry("nx", "sealed-h2").containsKey("nxe").containsEntry("ip", "198.51.100.4").containsEntry("ua", "agent 2");
        assertThat(TestRedis.keysOf(user)).containsExactlyInAnyOrder(keys.session(sid), keys.index());
    }

    @Test
    void thePredecessorWithinTheGracePeriodGetsTheSameSealedSuccessorAndChangesNothing() {
        rotate("h1", 1, "h2");
        Map<String, String> before = session();

        List<Object> r = rotate("h1", 1, "h2-loser");

        assertThat(r.get(0)).isEqualTo("grace");
        assertThat(r.get(2)).isEqualTo("sealed-h2");
        assertThat(r.subList(3, 7)).containsExactly("{\"username\":\"u\"}", "0", "pwd", "1700000000");
        assertThat(session()).isEqualTo(before);
    }

    @Test
    void thePredecessorWithoutAGracePeriodIsReuseAndEndsTheSession() {
        rotate("h1", 1, "h2", 0, "", "");
        assertThat(session()).doesNotContainKey("nx");

        assertThat(rotate("h1", 1, "h3", 0, "", "")).isEqualTo(List.of("reused"));

        assertRevoked();
    }

    @Test
    void anOlderGenerationIsReuseThoughItsHashIsNotStored() {
        rotate("h1", 1, "h2");
        rotate("h2", 2, "h3");

        assertThat(rotate("h1", 1, "h4")).isEqualTo(List.of("reused"));

        assertRevoked();
    }

    @Test
    void aTokenTheSessionNeverIssuedIsInvalidAndChangesNothing() {
        rotate("h1", 1, "h2");
        Map<String, String> before = session();

        assertThat(rotate("forged", 2, "h9")).isEqualTo(List.of("invalid"));
        assertThat(rotate("forged", 3, "h9")).isEqualTo(List.of("invalid"));

        assertThat(session()).isEqualTo(before);
        assertThat(TestRedis.call("EXISTS", keys.revokedSession(sid))).isEqualTo(0L);
    }

    @Test
    void aSessionThatDoesNotExistIsInvalid() {
        TestRedis.call("DEL", keys.session(sid));

        assertThat(rotate("h1", 1, "h2")).isEqualTo(List.of("invalid"));

        assertThat(TestRedis.call("EXISTS", keys.session(sid), keys.revokedSession(sid))).isEqualTo(0L);
    }

    @Test
    void aMovedVersionIsStaleUntilAFreshSubjectReadAtTheNewVersionIsStoredWithTheRotation() {
        TestRedis.call("INCR", keys.version());
        Map<String, String> before = session();

        assertThat(rotate("h1", 1, "h2")).isEqualTo(List.of("stale"));
        // A fresh subject read before yet another change is stale too.
        assertThat(rotate("h1", 1, "h2", GRACE_MS, "0", "{\"username\":\"old\"}")).isEqualTo(List.of("stale"));
        assertThat(session()).isEqualTo(before);

        List<Object> r = rotate("h1", 1, "h2", GRACE_MS, "1", "{\"username\":\"new\"}");

        assertThat(r.get(0)).isEqualTo("rotated");
        assertThat(r.subList(3, 5)).containsExactly("{\"username\":\"new\"}", "1");
        assertThat(session()).containsEntry("sub", "{\"username\":\"new\"}").containsEntry("uv", "1").containsEntry("cur", "h2");
    }
}
