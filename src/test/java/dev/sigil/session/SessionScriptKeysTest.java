package dev.sigil.session;

import dev.sigil.support.UnitTest;
import dev.sigil.id.SessionId;
import dev.sigil.id.UserId;
import dev.sigil.support.LuaKeyShapes;
import dev.sigil.support.TestIds;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The KEYS SessionStore passes to each session script are, in order, the keys the script's header documents. */
@UnitTest
class SessionScriptKeysTest {

    private final UUID user = UUID.randomUUID();
    private final SessionId a = new SessionId(TestIds.sessionId());
    private final SessionId b = new SessionId(TestIds.sessionId());
    private final SessionKeys keys = SessionKeys.of(UserId.of(user));
    private final Map<String, String> samples = LuaKeyShapes.samples(user.toString(), "<uid>", a.value(), "<sid>", b.value(), "<sid>");

    @Test
    void sessionCreate() {
        LuaKeyShapes.assertKeysMatch("session-create", samples, keys.create(a, List.of(b)));
    }

    @Test
    void sessionRotate() {
        LuaKeyShapes.assertKeysMatch("session-rotate", samples, keys.rotate(a));
    }

    @Test
    void sessionLogout() {
        LuaKeyShapes.assertKeysMatch("session-logout", samples, keys.logout(a));
    }

    @Test
    void sessionRevoke() {
        LuaKeyShapes.assertKeysMatch("session-revoke", samples, keys.revoke(List.of(a)));
    }

    @Test
    void sessionRead() {
        LuaKeyShapes.assertKeysMatch("session-read", samples, keys.read(List.of(a)));
    }

    @Test
    void sessionDropOtp() {
        LuaKeyShapes.assertKeysMatch("session-drop-otp", samples, keys.dropOtp(List.of(a)));
    }

    @Test
    void sessionStepUp() {
        LuaKeyShapes.assertKeysMatch("session-stepup", samples, keys.stepUp(a));
    }
}
