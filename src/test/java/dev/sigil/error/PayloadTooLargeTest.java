package dev.sigil.error;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The 413 detail names the configured quarkus.http.limits.max-body-size, in the unit it was set in. */
@UnitTest
class PayloadTooLargeTest {

    @Test
    void detailNamesTheConfiguredLimit() {
        assertThat(PayloadTooLarge.detail(16 * 1024)).isEqualTo("The request body exceeds 16 KiB");
        assertThat(PayloadTooLarge.detail(2 * 1024 * 1024)).isEqualTo("The request body exceeds 2 MiB");
        assertThat(PayloadTooLarge.detail(1000)).isEqualTo("The request body exceeds 1000 bytes");
    }
}
