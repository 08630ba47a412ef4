package dev.sigil.password;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The PHC string format and its parser, as plain unit tests (small parameters, so they run in milliseconds). */
@UnitTest
class Argon2idTest {

    private static final Argon2id SMALL = new Argon2id(64, 1, 1);

    @Test
    void hashIsAPhcStringThatVerifiesItsPasswordOnly() {
        String phc = SMALL.hash("correct horse");
        assertThat(phc).matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(SMALL.verify(phc, "correct horse")).isTrue();
        assertThat(SMALL.verify(phc, "correct horsf")).isFalse();
    }

    @Test
    void twoHashesOfOnePasswordDifferBySalt() {
        assertThat(SMALL.hash("same")).isNotEqualTo(SMALL.hash("same"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",   // another variant
            "$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",  // another version
            "$argon2id$v=19$m=64,t=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",      // a parameter missing: p = 0
            "$argon2id$v=19$m=64,t=1,p=1,x=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", // unknown parameter
            "$argon2id$v=19$m=4,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",   // memory below the format's floor
            "$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$argon2id$v=19$m=x,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA",        // salt of 4 bytes
            "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$AA",                     // a 1-byte tag
            "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$",                       // no tag
            "$argon2id$v=19$m=64,t=1,p=1$!!!$aGFzaGhhc2hoYXNoaGFzaA",           // not base64
            "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA$extra"})
    void malformedOrTruncatedRecordsNeverVerify(String phc) {
        assertThat(SMALL.verify(phc, "")).isFalse();
        assertThat(SMALL.verify(phc, "password")).isFalse();
        assertThat(SMALL.needsRehash(phc)).isTrue();
    }

    @Test
    void weakerParametersNeedARehashAndEqualOrStrongerDoNot() {
        Argon2id configured = new Argon2id(128, 2, 1);
        assertThat(configured.needsRehash(new Argon2id(64, 2, 1).hash("p"))).isTrue();
        assertThat(configured.needsRehash(new Argon2id(128, 1, 1).hash("p"))).isTrue();
        assertThat(configured.needsRehash(configured.hash("p"))).isFalse();
        assertThat(configured.needsRehash(new Argon2id(256, 3, 1).hash("p"))).isFalse();
    }
}
