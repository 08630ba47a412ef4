package dev.sigil.token;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The shape check every bearer token passes before jose4j sees it: three canonical base64url segments. */
@UnitTest
class CanonicalCompactTest {

    // {"alg":"RS256"} . {"a":1} . 4 bytes: 15 bytes fill whole characters; 7 and 4 bytes leave 4 unused bits.
    private static final String GOOD = "eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.AQIDBA";

    @Test
    void canonicalSegmentsPass() {
        assertThat(AccessTokenVerifier.canonicalCompact(GOOD)).isTrue();
    }

    @Test
    void paddingInAnySegmentFails() {
        assertThat(AccessTokenVerifier.canonicalCompact("eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.AQIDBA==")).isFalse();
        assertThat(AccessTokenVerifier.canonicalCompact("eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ==.AQIDBA")).isFalse();
        assertThat(AccessTokenVerifier.canonicalCompact("eyJhbGciOiJSUzI1NiJ9=.eyJhIjoxfQ.AQIDBA")).isFalse();
    }

    @Test
    void nonZeroUnusedBitsFail() {
        // "BA" -> "BB", "fQ" -> "fR": the same bytes, with unused bits set.
        assertThat(AccessTokenVerifier.canonicalCompact("eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.AQIDBB")).isFalse();
        assertThat(AccessTokenVerifier.canonicalCompact("eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfR.AQIDBA")).isFalse();
    }

    @Test
    void otherShapesFail() {
        for (String bad : List.of("", "a.b", "a.b.c.d", "eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.", ".eyJhIjoxfQ.AQIDBA",
                "eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.AQID+A", "eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.AQID/A", "eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.AQ ID",
                "eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.A")) {
            assertThat(AccessTokenVerifier.canonicalCompact(bad)).as(bad).isFalse();
        }
    }
}
