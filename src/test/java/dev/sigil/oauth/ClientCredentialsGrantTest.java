package dev.sigil.oauth;

import dev.sigil.support.UnitTest;
import dev.sigil.error.OAuthError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@UnitTest
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

    static final List<String> APIS = List.of("https://orders.example.com", "inventory-api", "https://billing.example.com/v1");

    @Test
    void withoutResourceOrAudienceTheTokenIsForTheClientsFirstApi() {
        assertThat(ClientCredentialsGrant.audience(List.of(), null, APIS)).containsExactly("https://orders.example.com");
    }

    @Test
    void everyRequestedResourceWithinTheClientsApisBecomesTheAudienceOnceEach() {
        assertThat(ClientCredentialsGrant.audience(List.of("https://billing.example.com/v1", "https://orders.example.com",
                "https://billing.example.com/v1"), null, APIS)).containsExactly("https://billing.example.com/v1", "https://orders.example.com");
        assertThat(ClientCredentialsGrant.audience(List.of(), "inventory-api", APIS)).containsExactly("inventory-api");
    }

    @Test
    void oneResourceOutsideTheClientsApisOrNotAnAbsoluteUriIsInvalidTarget() {
        for (List<String> resources : List.of(List.of("https://evil.example.com"), List.of("https://orders.example.com", "https://evil.example.com"),
                List.of("inventory-api"), List.of("https://orders.example.com/"), List.of(""))) {
            assertThatThrownBy(() -> ClientCredentialsGrant.audience(resources, null, APIS)).as(resources.toString())
                    .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error).isEqualTo("invalid_target"));
        }
        assertThatThrownBy(() -> ClientCredentialsGrant.audience(List.of(), "orders-api", APIS))
                .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error).isEqualTo("invalid_target"));
    }

    @Test
    void aResourceWithAFragmentIsInvalidTargetEvenWhenRegistered() {
        List<String> apis = List.of("https://orders.example.com#v1");
        assertThatThrownBy(() -> ClientCredentialsGrant.audience(List.of("https://orders.example.com#v1"), null, apis))
                .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error).isEqualTo("invalid_target"));
    }

    @Test
    void resourceAndAudienceTogetherAreInvalidRequestAndAClientWithNoApiIsUnauthorized() {
        assertThatThrownBy(() -> ClientCredentialsGrant.audience(List.of("https://orders.example.com"), "inventory-api", APIS))
                .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error).isEqualTo("invalid_request"));
        assertThatThrownBy(() -> ClientCredentialsGrant.audience(List.of(), null, List.of()))
                .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error).isEqualTo("unauthorized_client"));
    }
}
