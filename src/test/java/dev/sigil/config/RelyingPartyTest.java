package dev.sigil.config;

import dev.sigil.id.Origin;
import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The passkey settings as start-up checks them: the rp id and the origins of ceremonies. */
@UnitTest
class RelyingPartyTest {

    private static RelyingParty rp(Map<String, String> props) {
        return RelyingParty.of(TestConfig.sigil(props));
    }

    @Test
    void defaultsAreTheIssuersHostAndTheAllowedOriginsOnIt() {
        RelyingParty rp = rp(Map.of("sigil.web.allowed-origins", "https://app.auth.example.com,https://elsewhere.example.net"));
        assertThat(rp.id()).isEqualTo("auth.example.com");
        assertThat(rp.origins()).containsExactlyInAnyOrder(Origin.parse("https://auth.example.com"), Origin.parse("https://app.auth.example.com"));
        assertThat(RelyingParty.problems(TestConfig.sigil(Map.of()))).isEmpty();
    }

    @Test
    void aParentDomainServesAnAppOnAnotherHostOfTheSite() {
        Map<String, String> props = Map.of("sigil.webauthn.rp-id", "example.com",
                "sigil.webauthn.origins", "https://auth.example.com,https://app.example.com");
        assertThat(RelyingParty.problems(TestConfig.sigil(props))).isEmpty();
        assertThat(rp(props).origins()).hasSize(2);
    }

    @Test
    void startUpRefusesOriginsOffTheRpIdPlainHttpAndBadRpIds() {
        assertThat(RelyingParty.problems(TestConfig.sigil(Map.of("sigil.webauthn.origins", "https://evil.example.net"))))
                .anySatisfy(p -> assertThat(p).contains("is not on the rp id"));
        assertThat(RelyingParty.problems(TestConfig.sigil(Map.of("sigil.webauthn.origins", "http://auth.example.com"))))
                .anySatisfy(p -> assertThat(p).contains("must be https"));
        assertThat(RelyingParty.problems(TestConfig.sigil(Map.of("sigil.webauthn.origins", "https://auth.example.com/path"))))
                .anySatisfy(p -> assertThat(p).contains("is not an origin"));
        assertThat(RelyingParty.problems(TestConfig.sigil(Map.of("sigil.webauthn.rp-id", "127.0.0.1"))))
                .anySatisfy(p -> assertThat(p).contains("must be a domain name"));
        assertThat(RelyingParty.problems(TestConfig.sigil(Map.of("sigil.webauthn.challenge-lifetime", "PT1H"))))
                .anySatisfy(p -> assertThat(p).contains("challenge-lifetime"));
        assertThat(RelyingParty.problems(TestConfig.sigil(Map.of("sigil.webauthn.enabled", "false",
                "sigil.webauthn.origins", "https://evil.example.net")))).isEmpty();
    }

    @Test
    void httpIsAllowedForLocalhost() {
        assertThat(RelyingParty.problems(TestConfig.sigil(Map.of("sigil.issuer", "http://localhost:8080",
                "sigil.webauthn.origins", "http://localhost:8080,http://localhost:3000")))).isEmpty();
    }
}
