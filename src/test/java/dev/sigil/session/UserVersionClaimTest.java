package dev.sigil.session;

import dev.sigil.support.UnitTest;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code uv} claim is a non-negative integer or absent (0); anything else makes the token unusable. */
@UnitTest
class UserVersionClaimTest {

    @Test
    void anAbsentClaimIsVersionZero() {
        assertThat(RevocationAugmentor.version(null)).isZero();
    }

    @Test
    void integersAreTakenAsTheyAre() {
        assertThat(RevocationAugmentor.version(Json.createValue(7L))).isEqualTo(7L);
        assertThat(RevocationAugmentor.version(Json.createValue(0))).isZero();
        assertThat(RevocationAugmentor.version(12L)).isEqualTo(12L);
    }

    @Test
    void negativesFractionsOversizeAndOtherTypesAreRefused() {
        assertThat(RevocationAugmentor.version(Json.createValue(-1L))).isNull();
        assertThat(RevocationAugmentor.version(Json.createValue(new BigDecimal("0.5")))).isNull();
        assertThat(RevocationAugmentor.version(Json.createValue(new BigInteger("99999999999999999999")))).isNull();
        assertThat(RevocationAugmentor.version(Json.createValue("1"))).isNull();
        assertThat(RevocationAugmentor.version("1")).isNull();
        assertThat(RevocationAugmentor.version(1.0)).isNull();
    }
}
