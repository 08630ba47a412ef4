package dev.sigil.oauth;

import dev.sigil.error.OAuthError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientCredentialsGrantTest {

    static final List<String> ALLOWED = List.of("orders.read", "orders.write", "billing.read");
    static final List<String> DEFAULTS = List.of("orders.read");

    @Test
    void noRequestedScopeGivesTheClientsDefaults() {
        assertThat(ClientCredentialsGrant.scopes(null, ALLOWED, DEFAULTS)).isEqualTo(DEFAULTS);
        assertThat(ClientCredentialsGrant.scopes("", ALLOWED, DEFAULTS)).isEqualTo(DEFAULTS);
    }

    @Test
    void requestedScopesWithinTheAllowedOnesAreGrantedOnceEach() {
        assertThat(ClientCredentialsGrant.scopes("orders.write billing.read orders.write", ALLOWED, DEFAULTS))
                .containsExactly("orders.write", "billing.read");
    }

    @Test
    void aScopeOutsideTheAllowedOnesIsInvalidScope() {
        assertThatThrownBy(() -> ClientCredentialsGrant.scopes("orders.read admin", ALLOWED, DEFAULTS))
                .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error).isEqualTo("invalid_scope"));
    }

    @Test
    void malformedScopeStringsAreInvalidScope() {
        for (String bad : new String[] {" orders.read", "orders.read  billing.read", "orders.read\tbilling.read", "a\"b", "x\\y"}) {
            assertThatThrownBy(() -> ClientCredentialsGrant.scopes(bad, ALLOWED, DEFAULTS)).as(bad)
                    .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error).isEqualTo("invalid_scope"));
        }
    }
}
