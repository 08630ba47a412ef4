package dev.sigil.session;

import dev.sigil.redis.LuaScript;
import dev.sigil.support.TestRedis;

import java.util.ArrayList;
import java.util.List;

/** Runs a session script as LuaScript does (includes expanded, the deadline last: "0", none) on the test Redis. */
final class ScriptCalls {

    private ScriptCalls() {
    }

    static Object eval(String script, List<String> keys, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("EVAL", LuaScript.text(script), Integer.toString(keys.size())));
        argv.addAll(keys);
        argv.addAll(args);
        argv.add("0");
        return TestRedis.call(argv.toArray(String[]::new));
    }
}
