package dev.sigil.key;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The key timeline as pure logic: which key signs, which are published, and until when, at given instants. */
@UnitTest
class KeyViewTest {

    private static final Duration RETENTION = Duration.ofMinutes(15);
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    private static final Instant T1 = T0.plus(Duration.ofHours(1));
    private static KeyPair pair;

    @BeforeAll
    static void generate() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        pair = g.generateKeyPair(); // one pair is enough: the view tells keys apart by kid and instant
    }

    private static SigningKey key(String kid, Instant at) {
        return new SigningKey(kid, at, (RSAPrivateCrtKey) pair.getPrivate(), (RSAPublicKey) pair.getPublic());
    }

    private final SigningKey old = key("old", T0);
    private final SigningKey next = key("next", T1);

    @Test
    void beforeActivationTheOldKeySignsAndTheNextIsPublished() {
        KeyView v = KeyView.at(List.of(old, next), T1.minusMillis(1), RETENTION);
        assertEquals("old", v.active().kid());
        assertEquals(List.of("old", "next"), v.published().stream().map(SigningKey::kid).toList());
        assertEquals(T1, v.validUntil());
    }

    @Test
    void atTheActivationInstantTheNextKeySignsAndTheOldIsRetainedForTheAccessLifetime() {
        KeyView v = KeyView.at(List.of(old, next), T1, RETENTION);
        assertEquals("next", v.active().kid());
        assertEquals(List.of("next", "old"), v.published().stream().map(SigningKey::kid).toList());
        assertEquals(T1.plus(RETENTION), v.validUntil());
    }

    @Test
    void afterRetentionTheOldKeyIsDropped() {
        KeyView v = KeyView.at(List.of(old, next), T1.plus(RETENTION), RETENTION);
        assertEquals(List.of("next"), v.published().stream().map(SigningKey::kid).toList());
        assertEquals(Instant.MAX, v.validUntil());
    }

    @Test
    void activeAtAnEarlierInstantNamesTheKeyOfThatInstantEvenInALaterView() {
        // A view already moved past the activation must still pick the old key for an instant before it,
        // so that iat and kid taken from one instant always agree.
        KeyView later = KeyView.at(List.of(old, next), T1.plusSeconds(1), RETENTION);
        assertEquals("old", later.activeAt(T1.minusMillis(1)).kid());
        assertEquals("next", later.activeAt(T1).kid());
    }

    @Test
    void noKeyActiveYetIsRefused() {
        assertThrows(IllegalStateException.class, () -> KeyView.at(List.of(next), T0, RETENTION));
    }
}
