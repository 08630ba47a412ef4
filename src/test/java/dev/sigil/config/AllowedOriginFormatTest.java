package dev.sigil.config;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** sigil.web.allowed-origins takes origins only: a wildcard, a path or a bare host is a mistake refused at start-up. */
@UnitTest
class AllowedOriginFormatTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com", "http://localhost:3000", "https://app.example.com:8443", "https://app.example.com/",
            "https://app.example.com:443"})
    void anOriginIsAccepted(String origin) {
        assertThat(ConfigValidator.isOrigin(origin)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "null", "https://*.example.com", "https://app.example.com/app", "app.example.com",
            "ftp://app.example.com", "https://user@app.example.com", "https://app.example.com?x=1", "https://app.example.com#x", "",
            "https://app.example.com:99999", "https://app.example.com:"})
    void anythingElseIsRefused(String value) {
        assertThat(ConfigValidator.isOrigin(value)).isFalse();
    }
}
