package dev.sigil.recovery;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@UnitTest
class MailedTokenTest {

    @Test
    void aTokenIs256RandomBitsInBase64Url() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String t = MailedToken.random().value();
            assertThat(t).matches("[A-Za-z0-9_-]{43}");
            assertThat(Base64.getUrlDecoder().decode(t)).hasSize(32);
            seen.add(t);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void onlyTheTokensFormIsParsedAndItsHashIsNotTheToken() {
        MailedToken t = MailedToken.random();
        assertThat(MailedToken.parse(t.value())).get().extracting(MailedToken::hash).isEqualTo(t.hash());
        assertThat(t.hash()).isNotEqualTo(t.value()).hasSize(43);
        assertThat(MailedToken.parse(null)).isEmpty();
        assertThat(MailedToken.parse(t.value() + "A")).isEmpty();
        assertThat(MailedToken.parse(t.value().substring(1) + "=")).isEmpty();
        assertThat(MailedToken.parse("%".repeat(43))).isEmpty();
        assertThat(t.toString()).doesNotContain(t.value());
    }

    @Test
    void theLinkAppendsTheTokenToTheConfiguredUrl() {
        MailedToken t = MailedToken.random();
        assertThat(Links.withToken("https://app.example.com/reset", t)).isEqualTo("https://app.example.com/reset?token=" + t.value());
        assertThat(Links.withToken("https://app.example.com/r?lang=en", t)).isEqualTo("https://app.example.com/r?lang=en&token=" + t.value());
    }

    @Test
    void onlyAbsoluteHttpUrlsWithoutAFragmentAreAccepted() {
        assertThat(Links.checked("https://app.example.com/reset")).isEqualTo("https://app.example.com/reset");
        for (String bad : new String[] {"/reset", "javascript:alert(1)", "https://app.example.com/#/reset", "ftp://x.example/r"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Links.checked(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
