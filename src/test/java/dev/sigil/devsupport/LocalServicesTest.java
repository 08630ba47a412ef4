package dev.sigil.devsupport;

import dev.sigil.support.UnitTest;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** When LocalServices starts nothing (without booting Quarkus, and without starting a server). */
@UnitTest
class LocalServicesTest {

    private static SmallRyeConfig config(String profile, Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withProfile(profile)
                .withSources(new PropertiesConfigSource(properties, "test properties", 250))
                .withSources(new LocalServices()).build();
    }

    private static boolean local(SmallRyeConfig config) {
        return StreamSupport.stream(config.getConfigSources().spliterator(), false)
                .map(ConfigSource::getName).anyMatch(LocalServices.OnFirstRead.NAME::equals);
    }

    @Test
    void prodStartsNothingEvenWithNothingConfigured() {
        SmallRyeConfig config = config("prod", Map.of());
        assertThat(local(config)).isFalse();
        assertThat(config.getOptionalValue(LocalServices.REACTIVE_URL, String.class)).isEmpty();
        assertThat(config.getOptionalValue(LocalServices.REDIS_HOSTS, String.class)).isEmpty();
    }

    @Test
    void configuredUrlsWinInTestAndDev() {
        Map<String, String> configured = Map.of(
                "%test.quarkus.datasource.reactive.url", "postgresql://db.example:5432/x",
                "%test.quarkus.datasource.jdbc.url", "jdbc:postgresql://db.example:5432/x",
                "%test.quarkus.redis.hosts", "redis://redis.example:6379",
                "%dev.quarkus.datasource.reactive.url", "postgresql://db.example:5432/x",
                "%dev.quarkus.datasource.jdbc.url", "jdbc:postgresql://db.example:5432/x",
                "%dev.quarkus.redis.hosts", "redis://redis.example:6379");
        for (String profile : new String[] {"test", "dev"}) {
            SmallRyeConfig config = config(profile, configured);
            assertThat(local(config)).as(profile).isFalse();
            assertThat(config.getValue(LocalServices.REDIS_HOSTS, String.class)).isEqualTo("redis://redis.example:6379");
        }
    }

    @Test
    void nothingStartsUntilSigilReadsASetting() {
        Assumptions.assumeTrue(System.getProperty(LocalPostgres.PORT_PROPERTY) == null
                && System.getProperty(LocalRedis.PORT_PROPERTY) == null, "this JVM already started its servers");
        SmallRyeConfig config = config("test", Map.of());
        assertThat(local(config)).isTrue();
        assertThat(config.getPropertyNames()).contains(LocalServices.REACTIVE_URL, LocalServices.REDIS_HOSTS);
        assertThat(System.getProperty(LocalPostgres.PORT_PROPERTY)).isNull();
        assertThat(System.getProperty(LocalRedis.PORT_PROPERTY)).isNull();
    }
}
