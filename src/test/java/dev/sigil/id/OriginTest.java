package dev.sigil.id;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6454 origins: one parser for the Origin header, the configured origins, the issuer and Referer. */
@UnitTest
class OriginTest {

    @Test
    void defaultPortsAndCaseAreFoldedSoEqualOriginsCompareEqual() {
        assertThat(Origin.parse("https://app.example.com:443")).isEqualTo(Origin.parse("https://app.example.com"));
        assertThat(Origin.parse("HTTP://App.Example.COM:80")).isEqualTo(Origin.parse("http://app.example.com"));
        assertThat(Origin.parse("https://app.example.com:443")).hasToString("https://app.example.com");
        assertThat(Origin.parse("http://localhost:3000")).hasToString("http://localhost:3000");
        assertThat(Origin.parse("http://[::1]:8080")).hasToString("http://[::1]:8080");
        assertThat(Origin.parse("https://app.example.com/")).isEqualTo(Origin.parse("https://app.example.com"));
    }

    @Test
    void schemeAndPortMakeDifferentOrigins() {
        assertThat(Origin.parse("http://app.example.com")).isNotEqualTo(Origin.parse("https://app.example.com"));
        assertThat(Origin.parse("https://app.example.com:8443")).isNotEqualTo(Origin.parse("https://app.example.com"));
        assertThat(Origin.parse("http://app.example.com:443")).isNotEqualTo(Origin.parse("https://app.example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.com@localhost:3000", "http://localhost:3000/x", "http://localhost:3000?x=1",
            "http://localhost:3000#x", "http://localhost:3000/?", "null", "*", "", "localhost:3000", "ftp://localhost",
            "chrome-extension://abcdef", "http://localhost:99999", "http://localhost:", "http://local_host", "http:localhost",
            "http://*.example.com", "http://localhost:3000 x", "http://localhost:+80"})
    void anythingButSchemeHostAndPortIsNotAnOrigin(String value) {
        assertThat(Origin.parse(value)).isNull();
    }

    @Test
    void aUrlNamesItsOriginButUserinfoStillMakesItNone() {
        assertThat(Origin.ofUrl("https://auth.example.com:443/sigil/x?y#z")).isEqualTo(Origin.parse("https://auth.example.com"));
        assertThat(Origin.ofUrl("https://evil.com@auth.example.com/")).isNull();
        assertThat(Origin.ofUrl("not a url")).isNull();
        assertThat(Origin.parse(null)).isNull();
        assertThat(Origin.ofUrl(null)).isNull();
    }
}
