package dev.sigil.support;

import dev.sigil.devsupport.LocalRedis;
import dev.sigil.devsupport.LocalServices;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The PostgreSQL and Redis the tests use, for code that talks to them outside Sigil's own config (direct
 * Redis checks, relays, prod-mode processes): a configured URL when there is one (the {@code _TEST_} or plain
 * environment variable, or the system property), otherwise the servers this JVM starts (LocalServices), the
 * same ones a @QuarkusTest's Sigil gets.
 */
public final class TestServers {

    private TestServers() {
    }

    public static String postgresReactiveUrl() {
        return configured("quarkus.datasource.reactive.url")
                .orElseGet(() -> "postgresql://127.0.0.1:" + LocalServices.postgresPort(null) + "/postgres");
    }

    public static String postgresJdbcUrl() {
        return configured("quarkus.datasource.jdbc.url").orElseGet(() -> "jdbc:" + postgresReactiveUrl());
    }

    /** host:port/database of {@link #postgresReactiveUrl()}. */
    public static URI postgres() {
        return URI.create(postgresReactiveUrl().replaceFirst("^postgresql://", "tcp://"));
    }

    /** A redis:// URI, with its database number when configured with one. */
    public static String redisUrl() {
        return configured("quarkus.redis.hosts").orElseGet(() -> "redis://127.0.0.1:" + LocalRedis.port());
    }

    public static RedisWire redis() {
        URI uri = URI.create(redisUrl().split(",")[0]);
        String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
        return new RedisWire(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), path.isEmpty() ? 0 : Integer.parseInt(path));
    }

    private static Optional<String> configured(String property) {
        String env = property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        for (String value : new String[] {System.getProperty("%test." + property), System.getProperty(property),
                System.getenv("_TEST_" + env), System.getenv(env)}) {
            if (value != null && !value.isBlank()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
