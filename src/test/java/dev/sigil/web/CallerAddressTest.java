package dev.sigil.web;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsing client addresses into their canonical form, without Quarkus. */
@UnitTest
class CallerAddressTest {

    @ParameterizedTest
    @CsvSource({
            "203.0.113.7, 203.0.113.7",
            "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
            "2001:db8::1, 2001:db8::1",
            "[2001:db8::1], 2001:db8::1",
            "0:0:0:0:0:0:0:1, ::1",
            "::ffff:198.51.100.9, 198.51.100.9",
            "0:0:0:0:0:ffff:c633:6409, 198.51.100.9",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1"})
    void ipLiteralsBecomeTheirCanonicalForm(String raw, String canonical) {
        assertThat(CallerAddress.parse(raw).value()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @CsvSource({
            "203.0.113.7, 203.0.113.7",
            "::ffff:198.51.100.9, 198.51.100.9",
            "2001:db8:0:1::1, 2001:db8:0:1::/64",
            "2001:db8:0:1:ffff:ffff:ffff:ffff, 2001:db8:0:1::/64",
            "2001:db8:aaaa:bbbb:1:2:3:4, 2001:db8:aaaa:bbbb::/64",
            "::1, ::/64",
            "unknown-host, unknown"})
    void limitsKeyOnAnIpv4AddressAloneAndOnAnIpv6AddressBySlash64(String raw, String throttleForm) {
        assertThat(CallerAddress.parse(raw).throttleForm()).isEqualTo(throttleForm);
    }

    @ParameterizedTest
    @CsvSource({"2001:db8:0:1::1, 2001:db8:0:1::2", "2001:db8:0:1::1, 2001:db8:0:1:8000::"})
    void twoIpv6AddressesOfOneSlash64ShareALimitButKeepTheirOwnAddress(String a, String b) {
        assertThat(CallerAddress.parse(a).throttleForm()).isEqualTo(CallerAddress.parse(b).throttleForm());
        assertThat(CallerAddress.parse(a).value()).isNotEqualTo(CallerAddress.parse(b).value());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"}{x", "sigil:*", "localhost", "host.example.com", "unknown", "_hidden", "1.2.3.4 ",
            "1.2.3.4, 5.6.7.8", "1.2.3", "256.1.1.1", "1.2.3.4:80", "2001:db8::1::2", "\u0000",
            "111111111111111111111111111111111111111111111111111111111111111111111"})
    void anythingElseIsUnknown(String raw) {
        assertThat(CallerAddress.parse(raw)).isSameAs(CallerAddress.UNKNOWN);
    }
}
