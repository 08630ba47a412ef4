package dev.sigil.client;

import dev.sigil.support.UnitTest;
import dev.sigil.id.ClientId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@UnitTest
class ClientSecretTest {

    private static RegisteredClient client(String digest, String previous, Instant previousUntil) {
        return new RegisteredClient(new ClientId("orders-svc"), digest, previous, previousUntil, List.of(), List.of(), List.of("orders-api"),
                List.of(), 300, true, null, null, ExchangePolicy.NONE);
    }

    @Test
    void aSecretIs256RandomBitsInBase64url() {
        String s = ClientSecret.generate();
        assertThat(Base64.getUrlDecoder().decode(s)).hasSize(32);
        assertThat(ClientSecret.generate()).isNotEqualTo(s);
    }

    @Test
    void onlyTheDigestIsStoredAndItMatchesOnlyItsSecret() {
        String s = ClientSecret.generate();
        String digest = ClientSecret.digest(s);
        assertThat(digest).doesNotContain(s);
        RegisteredClient c = client(digest, null, null);
        assertThat(c.secretMatches(s, Instant.now())).isTrue();
        assertThat(c.secretMatches(s + "x", Instant.now())).isFalse();
        assertThat(c.secretMatches(null, Instant.now())).isFalse();
    }

    @Test
    void thePreviousSecretWorksUntilTheOverlapEndsAndNotAfter() {
        String old = ClientSecret.generate();
        String current = ClientSecret.generate();
        Instant until = Instant.parse("2026-01-01T00:00:00Z");
        RegisteredClient c = client(ClientSecret.digest(current), ClientSecret.digest(old), until);
        assertThat(c.secretMatches(old, until.minusSeconds(1))).isTrue();
        assertThat(c.secretMatches(old, until)).isFalse();
        assertThat(c.secretMatches(current, until.plusSeconds(3600))).isTrue();
    }

    @Test
    void aClientWithoutASecretMatchesNoSecret() {
        RegisteredClient keysOnly = client(null, null, null);
        assertThat(keysOnly.secretMatches("", Instant.now())).isFalse();
        assertThat(keysOnly.secretMatches(ClientSecret.generate(), Instant.now())).isFalse();
    }
}
