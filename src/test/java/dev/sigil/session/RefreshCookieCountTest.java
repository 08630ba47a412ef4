package dev.sigil.session;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Counting the refresh cookie's occurrences in raw Cookie header values (RFC 6265 cookie-string syntax). */
@UnitTest
class RefreshCookieCountTest {

    private static final String NAME = "__Secure-refresh_token";

    private static int count(String... headers) {
        return RefreshCookie.count(Arrays.asList(headers), NAME);
    }

    @Test
    void oneCookieAmongOthersCountsOnce() {
        assertThat(count(NAME + "=abc")).isEqualTo(1);
        assertThat(count("a=1; " + NAME + "=abc; b=2")).isEqualTo(1);
        assertThat(count("a=1", NAME + "=abc; b=2")).isEqualTo(1);
    }

    @Test
    void twoInOneHeaderCountTwice() {
        assertThat(count(NAME + "=abc; " + NAME + "=def")).isEqualTo(2);
        assertThat(count(NAME + "=abc;" + NAME + "=abc")).isEqualTo(2);
        assertThat(count(NAME + "=; " + NAME + "=def")).isEqualTo(2);
    }

    @Test
    void twoInSeveralHeadersCountTwice() {
        assertThat(count(NAME + "=abc", NAME + "=def")).isEqualTo(2);
        assertThat(count("a=1; " + NAME + "=abc", "b=2", NAME + "=def; c=3")).isEqualTo(2);
    }

    @Test
    void theObsoleteCommaSeparatedFormCountsToo() {
        assertThat(count(NAME + "=abc, " + NAME + "=def")).isEqualTo(2);
    }

    @Test
    void otherNamesDoNotCount() {
        assertThat(count("refresh_token=a; __Host-refresh_token=b; __secure-refresh_token=c; " + NAME + "x=d; x" + NAME + "=e"))
                .isZero();
        assertThat(count("a=" + NAME + "; b=" + NAME + "=x")).isZero();
        assertThat(count(NAME)).isZero();
        assertThat(count()).isZero();
        assertThat(RefreshCookie.count(null, NAME)).isZero();
        assertThat(RefreshCookie.count(List.of(""), NAME)).isZero();
    }

    @Test
    void whitespaceAroundTheNameIsTolerated() {
        assertThat(count("  " + NAME + " =abc;\t" + NAME + "=def")).isEqualTo(2);
    }
}
