package dev.sigil.id;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one canonical form of a username, used by the lookup and by every throttle key. */
@UnitTest
class UsernameTest {

    @Test
    void asciiNamesAreCanonicalisedToAsciiLowerCase() {
        assertThat(Username.parse("LockVictim").orElseThrow().canonical()).isEqualTo("lockvictim");
        assertThat(Username.parse("A.b_C@d-E9").orElseThrow().canonical()).isEqualTo("a.b_c@d-e9");
        assertThat(Username.parse("abc")).isPresent();
        assertThat(Username.parse("a".repeat(64))).isPresent();
    }

    @Test
    void letterCaseVariantsShareOneThrottleForm() {
        assertThat(LoginName.of("LOCKVICTIM").throttleForm()).isEqualTo(LoginName.of("lockvictim").throttleForm());
        assertThat(LoginName.of("LockVictim")).isEqualTo(Username.parse("lockvictim").orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "lockv\u0130ctim",   // LATIN CAPITAL LETTER I WITH DOT ABOVE: PostgreSQL lower() makes it 'i'
            "\u212Aelvin",       // KELVIN SIGN: lower() makes it 'k'
            "lockv\u0131ctim",   // dotless i
            "\uFF4Cockvictim",   // fullwidth l
            "lockvictim ",       // trailing space
            " lockvictim",       // leading space
            "lockvictim\u0000",  // NUL
            "lockvictim\n",      // trailing newline
            "lock\tvictim",
            "lockvi\u0307ctim",  // combining dot above
            "stra\u00DFe",       // sharp s
            "ab",                // too short
            "",
    })
    void namesOutsideTheRegistrationAlphabetAreNoUsernames(String typed) {
        assertThat(Username.parse(typed)).isEmpty();
        assertThat(LoginName.of(typed)).isNotInstanceOf(Username.class);
    }

    @Test
    void tooLongAndNullAreNoUsernames() {
        assertThat(Username.parse("a".repeat(65))).isEmpty();
        assertThat(Username.parse(null)).isEmpty();
    }

    @Test
    void onlyTheCanonicalFormConstructsAUsername() {
        assertThat(new Username("lockvictim").canonical()).isEqualTo("lockvictim");
        assertThatThrownBy(() -> new Username("LockVictim")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Username("lockv\u0130ctim")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Username(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnregistrableNameNeverSharesTheThrottleFormOfAUsername() {
        String victim = LoginName.of("lockvictim").throttleForm();
        for (String confusable : new String[]{"lockv\u0130ctim", "lockvictim ", "lockvictim\u0000", "\uFF4Cockvictim"}) {
            String form = LoginName.of(confusable).throttleForm();
            assertThat(form).isNotEqualTo(victim);
            assertThat(Username.parse(form)).as("no username spells an unregistrable name's form").isEmpty();
        }
        // Distinct typed names keep distinct forms: they are counted separately, and none reaches a user.
        assertThat(LoginName.of("lockv\u0130ctim").throttleForm()).isNotEqualTo(LoginName.of("lockv\u0131ctim").throttleForm());
    }

    @Test
    void theTypedValueOfAnUnregistrableNameIsNotShownInItsString() {
        assertThat(LoginName.of("secret\u0000name").toString()).doesNotContain("secret");
    }
}
