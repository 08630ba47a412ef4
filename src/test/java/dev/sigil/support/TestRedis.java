package dev.sigil.support;

import java.util.UUID;

/** Independent access to the test Redis (database 1), for asserting what the service wrote. */
public final class TestRedis {

    private static final RedisWire WIRE = new RedisWire("127.0.0.1", 6379, 1);

    private TestRedis() {
    }

    /** The key prefix of one user's session state (see SessionKeys). */
    public static String prefix(UUID user) {
        return "sigil:{" + user + "}:";
    }

    public static Object call(String... args) {
        return WIRE.call(args);
    }
}
