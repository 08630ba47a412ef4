package dev.sigil.oauth;

import dev.sigil.support.UnitTest;
import dev.sigil.error.OAuthError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OAuth form decoder: what decodes is read as browsers and clients encode it; a broken escape is invalid_request. */
@UnitTest
class FormParametersTest {

    @Test
    void percentAndPlusEscapesDecodeAndAbsentParametersAreNull() {
        FormParameters f = FormParameters.parse("grant_type=client_credentials&scope=a.read+b%2Fwrite&client_id=x%C3%A9&flag&&empty=");
        assertThat(f.single("grant_type")).isEqualTo("client_credentials");
        assertThat(f.single("scope")).isEqualTo("a.read b/write");
        assertThat(f.single("client_id")).isEqualTo("xé");
        assertThat(f.single("flag")).isEmpty();
        assertThat(f.single("empty")).isEmpty();
        assertThat(f.single("missing")).isNull();
        assertThat(FormParameters.parse("").single("token")).isNull();
        assertThat(FormParameters.parse(null).single("token")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"token=%zz", "scope=%G0", "token=abc%", "token=a%2", "%zz=x", "token=ok&scope=%"})
    void aBrokenEscapeIsInvalidRequest(String body) {
        assertThatThrownBy(() -> FormParameters.parse(body)).isInstanceOfSatisfying(OAuthError.class, e -> {
            assertThat(e.error).isEqualTo("invalid_request");
            assertThat(e.status).isEqualTo(400);
        });
    }

    @Test
    void aRepeatedParameterIsInvalidRequest() {
        FormParameters f = FormParameters.parse("token=a&token=b");
        assertThatThrownBy(() -> f.single("token")).isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error).isEqualTo("invalid_request"));
    }
}
