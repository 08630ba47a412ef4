package dev.sigil.redis;

import dev.sigil.support.UnitTest;
import dev.sigil.support.LuaKeyShapes;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every Lua script must keep (Redis' scripting contract, and Cluster): each key it touches comes through
 * KEYS, none is built inside the script, and its header documents the shape of each, which the per-package
 * *ScriptKeysTest classes hold against the Java key builders.
 */
@UnitTest
class LuaScriptsTest {

    /** Each script with the test that compares its KEYS with the Java side: a new script is added here and there. */
    private static final Set<String> CHECKED = Set.of(
            "session-create", "session-rotate", "session-logout", "session-revoke", "session-read", "session-drop-otp",
            "session-stepup", // SessionScriptKeysTest
            "login-reserve", "login-settle", "rate-attempt", "client-check", "client-failed", "client-version-change", // ThrottleScriptKeysTest
            "mfa-ticket-consume", "mfa-token-issue", "mfa-token-attempt"); // MfaScriptKeysTest

    /** A command and its first argument, which is the key for every command the scripts use but TIME. */
    private static final Pattern CALL = Pattern.compile("redis\\.call\\('([A-Z]+)'(?:, ([^,)]+))?");

    @Test
    void everyScriptHasItsKeysComparedWithTheJavaSide() {
        assertThat(LuaKeyShapes.scripts()).isEqualTo(Set.copyOf(CHECKED));
    }

    @Test
    void everyScriptDocumentsTheShapeOfEachKey() {
        for (String script : LuaKeyShapes.scripts()) {
            assertThat(LuaKeyShapes.documented(script)).as(script).isNotEmpty().allMatch(s -> s.startsWith("sigil:"));
        }
    }

    @Test
    void noScriptOrSnippetBuildsAKeyName() throws Exception {
        try (var files = java.nio.file.Files.list(LuaKeyShapes.DIR)) {
            for (var file : files.toList()) {
                String name = file.getFileName().toString();
                for (String line : java.nio.file.Files.readAllLines(file)) {
                    if (line.startsWith("--")) {
                        continue;
                    }
                    assertThat(line).as(name).doesNotContain("sigil:");
                    Matcher m = CALL.matcher(line);
                    while (m.find()) {
                        if (!m.group(1).equals("TIME")) {
                            // 'key' is the parameter of a snippet's function, which its callers pass a KEYS entry.
                            assertThat(m.group(2)).as(name + ": " + line.trim()).matches("KEYS\\[[^\\]]+\\]|key");
                        }
                    }
                }
            }
        }
    }
}
