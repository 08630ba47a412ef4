package dev.sigil.id;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@UnitTest
class ClientIdTest {

    @Test
    void lowerCaseLettersDigitsDotsUnderscoresAndDashesFrom3To64CharactersAreClientIds() {
        assertThat(ClientId.parse("orders-service").value()).isEqualTo("orders-service");
        assertThat(ClientId.parse("a.b_c-1")).isNotNull();
        assertThat(ClientId.parse("abc")).isNotNull();
        assertThat(ClientId.parse("a".repeat(64))).isNotNull();
    }

    @Test
    void anythingElseIsNotAClientIdAndNeverReachesAKey() {
        for (String bad : new String[] {null, "", "ab", "a".repeat(65), "Orders", "-orders", ".orders", "orders service",
                "orders:x", "orders}{x", "orders*", "ordérs", "orders\n", "../etc"}) {
            assertThat(ClientId.parse(bad)).as(String.valueOf(bad)).isNull();
        }
        assertThatThrownBy(() -> new ClientId("a}b")).isInstanceOf(IllegalArgumentException.class);
    }

    /** The JAX-RS conversion of a path parameter: the same format check, and an exception (a 404) for anything else. */
    @Test
    void fromStringTakesOnlyAClientId() {
        assertThat(ClientId.fromString("orders-svc")).isEqualTo(new ClientId("orders-svc"));
        for (String bad : new String[] {"Orders", "ab", "-orders", "orders svc", ""}) {
            assertThatThrownBy(() -> ClientId.fromString(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ClientId.fromString(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
