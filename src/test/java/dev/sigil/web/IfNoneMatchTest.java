package dev.sigil.web;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 9110 section 13.1.2 as the public documents evaluate it: weak comparison, lists, "*"; garbage matches nothing. */
@UnitTest
class IfNoneMatchTest {

    static final String ETAG = "\"abc\"";

    @Test
    void theCurrentTagWeakOrStrongAloneOrInAListMatches() {
        assertThat(IfNoneMatch.matches("\"abc\"", ETAG)).isTrue();
        assertThat(IfNoneMatch.matches("W/\"abc\"", ETAG)).isTrue();
        assertThat(IfNoneMatch.matches("\"x\", \"abc\"", ETAG)).isTrue();
        assertThat(IfNoneMatch.matches("\"x\",W/\"abc\"", ETAG)).isTrue();
        assertThat(IfNoneMatch.matches(" * ", ETAG)).isTrue();
        assertThat(IfNoneMatch.matches("\"a,b\", \"abc\"", ETAG)).isTrue();
    }

    @Test
    void otherTagsMissingOrMalformedHeadersDoNotMatch() {
        assertThat(IfNoneMatch.matches(null, ETAG)).isFalse();
        assertThat(IfNoneMatch.matches("", ETAG)).isFalse();
        assertThat(IfNoneMatch.matches("\"abcd\"", ETAG)).isFalse();
        assertThat(IfNoneMatch.matches("abc", ETAG)).isFalse();
        assertThat(IfNoneMatch.matches("\"abc", ETAG)).isFalse();
        assertThat(IfNoneMatch.matches("garbage, \"abc\"", ETAG)).isFalse();
        assertThat(IfNoneMatch.matches("*, \"x\"", ETAG)).isFalse();
    }
}
