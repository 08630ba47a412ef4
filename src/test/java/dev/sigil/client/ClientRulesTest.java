package dev.sigil.client;

import dev.sigil.error.SigilException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientRulesTest {

    static final List<String> USER_AUDIENCE = List.of("sigil", "portal");

    @Test
    void anAudienceIsRequiredAndKeepsItsOrderWithoutDuplicates() {
        assertThat(ClientRules.audience(List.of("orders-api", "https://billing.example.com", "orders-api"), USER_AUDIENCE))
                .containsExactly("orders-api", "https://billing.example.com");
        for (List<String> none : java.util.Arrays.asList(null, List.<String>of())) {
            assertThatThrownBy(() -> ClientRules.audience(none, USER_AUDIENCE)).isInstanceOf(SigilException.class);
        }
    }

    @Test
    void noValueOfTheUserAudienceIsAClientAudience() {
        for (String user : USER_AUDIENCE) {
            assertThatThrownBy(() -> ClientRules.audience(List.of("orders-api", user), USER_AUDIENCE)).as(user)
                    .isInstanceOf(SigilException.class).hasMessageContaining("sigil.audience");
        }
    }

    @Test
    void introspectionAudiencesMayBeEmptyAndMayNameTheUserAudience() {
        assertThat(ClientRules.introspectionAudiences(null)).isEmpty();
        assertThat(ClientRules.introspectionAudiences(List.of("sigil", "orders-api"))).containsExactly("sigil", "orders-api");
        assertThatThrownBy(() -> ClientRules.introspectionAudiences(List.of("has space"))).isInstanceOf(SigilException.class);
    }
}
