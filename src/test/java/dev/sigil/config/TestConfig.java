package dev.sigil.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidatorImpl;

import java.util.HashMap;
import java.util.Map;

/** A real {@link SigilConfig} mapping built from properties, for unit tests that must not boot Quarkus. */
public final class TestConfig {

    private TestConfig() {
    }

    /** The mapping with its defaults, an issuer, and {@code overrides} (property names without profile). */
    public static SigilConfig sigil(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>(Map.of("sigil.issuer", "https://auth.example.com"));
        props.putAll(overrides);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(SigilConfig.class)
                // The same Bean Validation of the mapping that Quarkus runs at start-up.
                .withValidator(new BeanValidationConfigValidatorImpl())
                .withSources(new PropertiesConfigSource(props, "test", 500))
                .build();
        return config.getConfigMapping(SigilConfig.class);
    }
}
