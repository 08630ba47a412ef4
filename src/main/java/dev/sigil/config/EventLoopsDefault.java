package dev.sigil.config;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Set;

/**
 * Sigil's default for {@code quarkus.vertx.event-loops-pool-size}: one event loop per CPU the JVM may use,
 * where Quarkus' own default is two. Sigil's event-loop work is CPU-bound and never blocks (an RS256 signature
 * is most of a token grant), so a second loop per CPU adds no throughput: the two only take turns on the CPU,
 * and each Redis reply arriving on the loop that owns the pooled connection is handed over to the loop that
 * owns the request, a thread wake-up per round trip. Measured with Sigil on one CPU: server CPU per
 * introspection 179 to 140 us, per client-credentials grant 383 to 353 us.
 * <p>
 * Ordinal 100, below application.properties (250), environment variables (300) and system properties (400),
 * so any of them still sets the size.
 */
public final class EventLoopsDefault implements ConfigSource {

    static final String NAME = "quarkus.vertx.event-loops-pool-size";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(NAME);
    }

    @Override
    public String getValue(String propertyName) {
        return NAME.equals(propertyName) ? Integer.toString(Runtime.getRuntime().availableProcessors()) : null;
    }

    @Override
    public String getName() {
        return "sigil-event-loops-default";
    }

    @Override
    public int getOrdinal() {
        return 100;
    }
}
