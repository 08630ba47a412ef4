package dev.sigil.config;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

@UnitTest
class MfaKeyConfigTest {

    private static SigilConfig.Mfa mfa(boolean enabled, String key) {
        return mfa(enabled, key, Duration.ofHours(1), Duration.ofMinutes(5));
    }

    private static SigilConfig.Mfa mfa(boolean enabled, String key, Duration ticketLifetime, Duration stepUpMaxAge) {
        return new SigilConfig.Mfa() {
            public boolean enabled() { return enabled; }
            public Optional<String> encryptionKey() { return Optional.ofNullable(key); }
            public String issuerName() { return "Sigil"; }
            public Optional<List<String>> requiredRoles() { return Optional.empty(); }
            public boolean enrolmentTicketRequired() { return true; }
            public Duration enrolmentTicketLifetime() { return ticketLifetime; }
            public Duration stepUpMaxAge() { return stepUpMaxAge; }
        };
    }

    private static List<String> problems(boolean enabled, String key, boolean prod) {
        List<String> p = new ArrayList<>();
        ConfigValidator.mfa(p, mfa(enabled, key), prod);
        return p;
    }

    @Test
    void prodRefusesMfaWithoutAnEncryptionKey() {
        assertThat(problems(true, null, true)).singleElement().asString().contains("sigil.mfa.encryption-key");
    }

    @Test
    void prodStartsWithMfaOffAndNoKey() {
        assertThat(problems(false, null, true)).isEmpty();
    }

    @Test
    void devAndTestMayGoWithoutAKey() {
        assertThat(problems(true, null, false)).isEmpty();
    }

    @Test
    void aKeyMustBeBase64Of32Bytes() {
        assertThat(problems(true, Base64.getEncoder().encodeToString(new byte[16]), true)).singleElement().asString().contains("32");
        assertThat(problems(true, "not base64!", true)).hasSize(1);
        assertThat(problems(true, Base64.getEncoder().encodeToString(new byte[32]), true)).isEmpty();
    }

    @Test
    void theTicketLifetimeAndTheStepUpAgeArePositiveAndATicketLivesAtMostAWeek() {
        List<String> p = new ArrayList<>();
        ConfigValidator.mfa(p, mfa(false, null, Duration.ZERO, Duration.ofSeconds(-1)), false);
        assertThat(p).anyMatch(s -> s.contains("sigil.mfa.enrolment-ticket-lifetime must be positive"))
                .anyMatch(s -> s.contains("sigil.mfa.step-up-max-age must be positive"));
        p.clear();
        ConfigValidator.mfa(p, mfa(false, null, Duration.ofDays(8), Duration.ofMinutes(5)), false);
        assertThat(p).singleElement().asString().contains("P7D");
    }
}
