package dev.sigil.user;

import dev.sigil.support.UnitTest;
import dev.sigil.error.SigilException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The input rules on their own, without booting Quarkus. */
@UnitTest
class UserRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "scope", "scp", "client_id", "azp",
            "preferred_username", "email", "email_verified", "acr", "amr", "auth_time", "act", "may_act", "cnf",
            "nonce", "roles", "groups", "upn", "sid", "typ", "uv", "at_hash", "c_hash", "entitlements", "scp", "permissions", "realm_access", "resource_access", "raw_token",
            "mfa_enrolment_required", "Scope", "EMAIL_VERIFIED", "Roles"})
    void registeredAndCommonClaimNamesAreReserved(String name) {
        assertThatThrownBy(() -> UserRules.claims(Map.of(name, "x")))
                .isInstanceOf(SigilException.class)
                .hasMessageContaining("claims may not set '" + name + "'");
    }

    @Test
    void ordinaryAndDescriptiveClaimNamesAreAccepted() {
        assertThat(UserRules.claims(Map.of("organization", "acme", "tier", 3, "name", "Ada Lovelace")))
                .containsEntry("organization", "acme").containsEntry("name", "Ada Lovelace");
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN})
    void nonFiniteNumbersInClaimsAreRefused(double value) {
        assertThatThrownBy(() -> UserRules.claims(Map.of("score", value)))
                .isInstanceOf(SigilException.class).hasMessageContaining("finite");
        assertThatThrownBy(() -> UserRules.claims(Map.of("nested", Map.of("list", List.of(1, value)))))
                .isInstanceOf(SigilException.class).hasMessageContaining("finite");
    }

    @Test
    void finiteNumbersInClaimsAreAccepted() {
        assertThat(UserRules.claims(Map.of("ratio", 0.5, "big", 1e300))).containsEntry("ratio", 0.5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pass\ud800word-long", "pass\udc00word-long", "trailing-high\ud83d", "\udfffleading-low"})
    void passwordsWithLoneSurrogatesAreRefused(String password) {
        assertThatThrownBy(() -> UserRules.password("password", password))
                .isInstanceOf(SigilException.class).hasMessageContaining("password");
    }

    @Test
    void passwordsWithSurrogatePairsAreAccepted() {
        assertThat(UserRules.password("password", "correct \ud83d\udd11 battery")).isEqualTo("correct \ud83d\udd11 battery");
    }

    @Test
    void loneSurrogatesInClaimStringsAreRefused() {
        assertThatThrownBy(() -> UserRules.claims(Map.of("org", "ac\ud800me")))
                .isInstanceOf(SigilException.class).hasMessageContaining("Unicode");
    }

    @Test
    void emailsWithLoneSurrogatesAreRefused() {
        assertThatThrownBy(() -> UserRules.email("ad\ud800a@example.com")).isInstanceOf(SigilException.class);
        assertThat(UserRules.email("ad\ud83d\udd11a@example.com")).isEqualTo("ad\ud83d\udd11a@example.com");
    }
}
