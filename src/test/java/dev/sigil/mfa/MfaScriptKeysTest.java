package dev.sigil.mfa;

import dev.sigil.support.UnitTest;
import dev.sigil.id.UserId;
import dev.sigil.support.LuaKeyShapes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The KEYS MfaRedis passes to each second-factor script are the keys its header documents. */
@UnitTest
class MfaScriptKeysTest {

    private final UUID user = UUID.randomUUID();
    private final Map<String, String> samples = LuaKeyShapes.samples(user.toString(), "<uid>", "DIGEST", "<digest>");

    @Test
    void mfaScripts() {
        LuaKeyShapes.assertKeysMatch("mfa-ticket-consume", samples, List.of(MfaKeys.enrolmentTicket(UserId.of(user))));
        LuaKeyShapes.assertKeysMatch("mfa-token-issue", samples, List.of(MfaKeys.mfaToken("DIGEST")));
        LuaKeyShapes.assertKeysMatch("mfa-token-attempt", samples, List.of(MfaKeys.mfaToken("DIGEST")));
    }
}
