package dev.sigil.config;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every start-up rule, one setting varied at a time, without booting Quarkus. */
@UnitTest
class ConfigValidatorTest {

    @Test
    void theDefaultsPass() {
        assertThat(ConfigValidator.problems(TestConfig.sigil(Map.of()))).isEmpty();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(Map.of("sigil.cookie.secure", "false"), "has a prefix that browsers only accept with Secure"),
                Arguments.of(Map.of("sigil.cookie.name", "__Host-refresh"), "__Host- prefix requires Path=/"),
                Arguments.of(Map.of("sigil.cookie.name", "bad name;"), "is not a valid cookie name"),
                Arguments.of(Map.of("sigil.cookie.same-site", "Sometimes"), "must be Strict, Lax or None"),
                Arguments.of(Map.of("sigil.cookie.name", "refresh", "sigil.cookie.secure", "false", "sigil.cookie.same-site", "None"),
                        "same-site=None requires sigil.cookie.secure=true"),
                Arguments.of(Map.of("sigil.tokens.access-lifetime", "PT0S"), "sigil.tokens.access-lifetime must be positive"),
                Arguments.of(Map.of("sigil.tokens.refresh-idle", "-PT1S"), "sigil.tokens.refresh-idle must be positive"),
                Arguments.of(Map.of("sigil.tokens.session-max", "PT0S"), "sigil.tokens.session-max must be positive"),
                Arguments.of(Map.of("sigil.tokens.grace", "-PT1S"), "sigil.tokens.grace must be 0 (strict) or positive"),
                Arguments.of(Map.of("sigil.tokens.grace", "P8D"), "sigil.tokens.grace must be shorter than sigil.tokens.refresh-idle"),
                Arguments.of(Map.of("sigil.tokens.clock-skew", "-PT1S"), "sigil.tokens.clock-skew must not be negative"),
                Arguments.of(Map.of("sigil.issuer", "auth.example.com"), "sigil.issuer must be an absolute URL"),
                Arguments.of(Map.of("sigil.issuer", "http://[::1"), "sigil.issuer must be an absolute URL"),
                Arguments.of(Map.of("sigil.keys.activation-lead", "PT1M"), "is shorter than sigil.keys.jwks-max-age"),
                Arguments.of(Map.of("sigil.mail.lease", "PT30S"), "sigil.mail.lease must exceed sigil.mail.send-timeout"),
                Arguments.of(Map.of("sigil.mail.retry-max", "PT1S"), "sigil.mail.retry-max must not be shorter than sigil.mail.retry-base"),
                Arguments.of(Map.of("sigil.mail.poll-interval", "PT0S"), "sigil.mail.poll-interval must be positive"),
                Arguments.of(Map.of("sigil.recovery.token-lifetime", "PT0S"), "sigil.recovery.token-lifetime must be positive"),
                Arguments.of(Map.of("sigil.rate-limits.reservation-lifetime", "PT0S"), "sigil.rate-limits.reservation-lifetime must be positive"),
                Arguments.of(Map.of("sigil.postgresql.acquire-timeout", "PT0S"), "sigil.postgresql.acquire-timeout must be at least 1 ms"));
    }

    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of("sigil.passwords.memory-kib", "1024", "OWASP"),
                Arguments.of("sigil.passwords.iterations", "1", "OWASP"),
                Arguments.of("sigil.passwords.parallelism", "0", "sigil.passwords.parallelism"),
                Arguments.of("sigil.passwords.max-in-flight", "0", "sigil.passwords.max-in-flight"),
                Arguments.of("sigil.passwords.workers", "-1", "sigil.passwords.workers"),
                Arguments.of("sigil.sessions.max-per-user", "0", "sigil.sessions.max-per-user"),
                Arguments.of("sigil.sessions.max-per-user", "10001", "sigil.sessions.max-per-user"),
                Arguments.of("sigil.postgresql.max-waiting", "0", "sigil.postgresql.max-waiting"));
    }

    /** Plain ranges are Bean Validation constraints on the mapping: the configuration does not even build. */
    @ParameterizedTest
    @MethodSource("outOfRange")
    void aValueOutOfItsRangeIsRefusedByTheMappingNamingTheProperty(String property, String value, String message) {
        assertThatThrownBy(() -> TestConfig.sigil(Map.of(property, value)))
                .isInstanceOf(io.smallrye.config.ConfigValidationException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @MethodSource("refused")
    void aContradictorySettingIsRefusedWithAMessageNamingIt(Map<String, String> setting, String message) {
        assertThat(ConfigValidator.problems(TestConfig.sigil(setting))).anySatisfy(p -> assertThat(p).contains(message));
    }

    @Test
    void aLoginShareMustLeaveSomeOfThePoolToEverythingElse() {
        assertThat(ConfigValidator.loginShareProblems(java.util.OptionalInt.empty(), 2)).isEmpty();
        assertThat(ConfigValidator.loginShareProblems(java.util.OptionalInt.of(19), 20)).isEmpty();
        assertThat(ConfigValidator.loginShareProblems(java.util.OptionalInt.of(20), 20)).singleElement().asString()
                .contains("sigil.postgresql.login-share must be at least 1 and below quarkus.datasource.reactive.max-size (20)");
        assertThat(ConfigValidator.loginShareProblems(java.util.OptionalInt.of(0), 20)).hasSize(1);
    }
}
