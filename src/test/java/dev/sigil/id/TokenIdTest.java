package dev.sigil.id;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class TokenIdTest {

    @Test
    void aRandomIdParsesBackFromItsText() {
        TokenId id = TokenId.random();
        assertThat(TokenId.parse(id.toString())).contains(id);
        assertThat(id.toString()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void anyOtherSpellingIsRefused() {
        String text = TokenId.random().toString();
        for (String bad : List.of(text.toUpperCase(Locale.ROOT), text + ":x", "{" + text + "}", "*", "1-1-1-1-1", "", text.replace("-", ""))) {
            assertThat(TokenId.parse(bad)).as(bad).isEmpty();
        }
        assertThat(TokenId.parse(null)).isEmpty();
    }
}
