package dev.sigil.support;

import java.util.UUID;

/** Independent access to the test Redis (TestServers), for asserting what the service wrote. */
public final class TestRedis {

    private static final RedisWire WIRE = TestServers.redis();

    private TestRedis() {
    }

    /** The key prefix of one user's session state (see SessionKeys). */
    public static String prefix(UUID user) {
        return "sigil:{" + user + "}:";
    }

    public static Object call(String... args) {
        return WIRE.call(args);
    }

    /** Every key under one user's prefix. KEYS is for tests only, on the test database, on one user's prefix. */
    @SuppressWarnings("unchecked")
    public static java.util.List<String> keysOf(UUID user) {
        return (java.util.List<String>) (java.util.List<?>) WIRE.call("KEYS", prefix(user) + "*");
    }

    /** A session's fields (SessionKeys): the JSON object Sigil writes. Empty when the session does not exist. */
    public static java.util.Map<String, String> session(String key) {
        Object json = call("GET", key);
        if (json == null) {
            return java.util.Map.of();
        }
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue((String) json,
                    new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, String>>() {
                    });
        } catch (java.io.IOException e) {
            throw new AssertionError("not a session: " + json, e);
        }
    }

    /** A hash's fields as a map (empty when the key does not exist). */
    public static java.util.Map<String, String> hash(String key) {
        java.util.List<?> flat = (java.util.List<?>) WIRE.call("HGETALL", key);
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return out;
    }
}
