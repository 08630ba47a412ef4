package dev.sigil.token;

import dev.sigil.id.ClientId;
import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code act} claim (RFC 8693 section 4.1) is read strictly: nested {@code sub}s of client ids, nothing else. */
@UnitTest
class ActChainTest {

    @Test
    void noActIsNoChainAndNestedActsAreTheCurrentActorFirst() throws Exception {
        assertThat(AccessTokenVerifier.actors(null)).isEmpty();
        assertThat(AccessTokenVerifier.actors(Map.of("sub", "svc-b", "act", Map.of("sub", "svc-a"))))
                .containsExactly(new ClientId("svc-b"), new ClientId("svc-a"));
    }

    @Test
    void anyOtherShapeIsRefused() {
        for (Object act : List.of("svc-a", Map.of(), Map.of("sub", 7), Map.of("sub", "NOT A CLIENT"), Map.of("sub", "svc-a", "iss", "x"),
                Map.of("sub", "svc-a", "act", "svc-b"), List.of(Map.of("sub", "svc-a")))) {
            assertThatThrownBy(() -> AccessTokenVerifier.actors(act)).as("%s", act).isInstanceOf(RejectedToken.class);
        }
    }

    @Test
    void aChainLongerThanAnyDepthCapIsRefused() {
        Map<String, Object> act = Map.of("sub", "svc-0");
        for (int i = 1; i <= AccessTokenVerifier.MAX_CHAIN; i++) {
            Map<String, Object> outer = new LinkedHashMap<>();
            outer.put("sub", "svc-" + i);
            outer.put("act", act);
            act = outer;
        }
        Map<String, Object> tooLong = act;
        assertThatThrownBy(() -> AccessTokenVerifier.actors(tooLong)).isInstanceOf(RejectedToken.class);
    }
}
