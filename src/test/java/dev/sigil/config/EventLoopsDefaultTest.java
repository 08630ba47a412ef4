package dev.sigil.config;

import dev.sigil.support.UnitTest;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One event loop per CPU by default; application.properties, the environment and system properties still set it. */
@UnitTest
class EventLoopsDefaultTest {

    @Test
    void defaultsToOneLoopPerCpu() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new EventLoopsDefault()).build();
        assertThat(config.getValue(EventLoopsDefault.NAME, Integer.class)).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(new EventLoopsDefault().getValue("quarkus.http.port")).isNull();
    }

    @Test
    void applicationPropertiesAndEnvironmentWin() {
        for (int ordinal : new int[] {250, 300, 400}) { // application.properties, environment, system properties
            SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new EventLoopsDefault(),
                    new PropertiesConfigSource(Map.of(EventLoopsDefault.NAME, "7"), "override", ordinal)).build();
            assertThat(config.getValue(EventLoopsDefault.NAME, Integer.class)).isEqualTo(7);
        }
    }
}
