package dev.sigil.oauth;

import dev.sigil.error.OAuthError;
import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scopes of an exchanged token only narrow: within the subject's (when it has any) and what the client may pass on. */
@UnitTest
class TokenExchangeScopesTest {

    static final List<String> PASSABLE = List.of("orders.read", "orders.write");

    @Test
    void aUsersOwnTokenIsBoundOnlyByWhatTheClientMayPassOn() {
        assertThat(TokenExchangeGrant.scopes("orders.write orders.read", null, PASSABLE)).containsExactly("orders.write", "orders.read");
        assertThat(TokenExchangeGrant.scopes(null, null, PASSABLE)).isEmpty(); // nothing asked: nothing granted
    }

    @Test
    void aScopedSubjectKeepsWhatItHasAndTheClientMayPassOnWhenNoneIsAsked() {
        assertThat(TokenExchangeGrant.scopes(null, List.of("orders.read", "billing.read"), PASSABLE)).containsExactly("orders.read");
        assertThat(TokenExchangeGrant.scopes("", List.of(), PASSABLE)).isEmpty();
    }

    @Test
    void aScopeTheSubjectLacksIsInvalidScope() {
        assertThatThrownBy(() -> TokenExchangeGrant.scopes("orders.write", List.of("orders.read"), PASSABLE))
                .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error).isEqualTo("invalid_scope"));
        // an exchanged token left without scopes has none to give: it is not unscoped
        assertThatThrownBy(() -> TokenExchangeGrant.scopes("orders.read", List.of(), PASSABLE))
                .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error).isEqualTo("invalid_scope"));
    }

    @Test
    void aScopeTheClientMayNotPassOnOrAMalformedOneIsInvalidScope() {
        assertThatThrownBy(() -> TokenExchangeGrant.scopes("billing.read", null, PASSABLE))
                .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error).isEqualTo("invalid_scope"));
        assertThatThrownBy(() -> TokenExchangeGrant.scopes("billing.read", List.of("billing.read"), PASSABLE))
                .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error).isEqualTo("invalid_scope"));
        assertThatThrownBy(() -> TokenExchangeGrant.scopes("a  b", null, PASSABLE))
                .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error).isEqualTo("invalid_scope"));
    }
}
