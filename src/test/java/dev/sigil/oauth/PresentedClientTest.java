package dev.sigil.oauth;

import dev.sigil.support.UnitTest;
import dev.sigil.error.OAuthError;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@UnitTest
class PresentedClientTest {

    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String errorOf(Runnable r) {
        try {
            r.run();
            return null;
        } catch (OAuthError e) {
            return e.error;
        }
    }

    @Test
    void basicCredentialsAreFormUrlDecodedAsRfc6749Section231Says() {
        PresentedClient p = PresentedClient.parse(basic("orders-svc:a%2Bb%3Ac"), null, null, null, null);
        assertThat(p.method()).isEqualTo(PresentedClient.Method.BASIC);
        assertThat(p.id().value()).isEqualTo("orders-svc");
        assertThat(p.secret()).isEqualTo("a+b:c");
    }

    @Test
    void postCredentialsNeedTheClientIdParameter() {
        PresentedClient p = PresentedClient.parse(null, "orders-svc", "s3cret", null, null);
        assertThat(p.method()).isEqualTo(PresentedClient.Method.POST);
        assertThat(errorOf(() -> PresentedClient.parse(null, null, "s3cret", null, null))).isEqualTo("invalid_client");
    }

    @Test
    void aMalformedClientIdIsInvalidClientInEveryMethod() {
        assertThat(errorOf(() -> PresentedClient.parse(basic("BAD}id:x"), null, null, null, null))).isEqualTo("invalid_client");
        assertThat(errorOf(() -> PresentedClient.parse(null, "BAD}id", "x", null, null))).isEqualTo("invalid_client");
        assertThat(errorOf(() -> PresentedClient.parse(null, "BAD}id", null, PresentedClient.JWT_BEARER, "a.b.c"))).isEqualTo("invalid_client");
        assertThat(errorOf(() -> PresentedClient.parse("Basic !!!not-base64", null, null, null, null))).isEqualTo("invalid_client");
        assertThat(errorOf(() -> PresentedClient.parse(basic("no-colon"), null, null, null, null))).isEqualTo("invalid_client");
    }

    @Test
    void twoAuthenticationMethodsAtOnceAreInvalidRequest() {
        assertThat(errorOf(() -> PresentedClient.parse(basic("orders-svc:x"), "orders-svc", "x", null, null))).isEqualTo("invalid_request");
        assertThat(errorOf(() -> PresentedClient.parse(null, "orders-svc", "x", PresentedClient.JWT_BEARER, "a.b.c"))).isEqualTo("invalid_request");
    }

    @Test
    void aClientIdParameterThatDiffersFromBasicIsInvalidRequest() {
        assertThat(errorOf(() -> PresentedClient.parse(basic("orders-svc:x"), "other-svc", null, null, null))).isEqualTo("invalid_request");
    }

    @Test
    void anAssertionNeedsTheJwtBearerType() {
        assertThat(errorOf(() -> PresentedClient.parse(null, null, null, "urn:other", "a.b.c"))).isEqualTo("invalid_request");
        assertThat(PresentedClient.parse(null, null, null, PresentedClient.JWT_BEARER, "a.b.c").method())
                .isEqualTo(PresentedClient.Method.PRIVATE_KEY_JWT);
    }

    @Test
    void noCredentialsAtAllIsMethodNone() {
        assertThat(PresentedClient.parse(null, null, null, null, null).method()).isEqualTo(PresentedClient.Method.NONE);
        assertThat(PresentedClient.parse("Bearer abc", null, null, null, null).method()).isEqualTo(PresentedClient.Method.NONE);
    }

    @Test
    void theDescriptionNeverContainsTheSecret() {
        assertThat(PresentedClient.parse(null, "orders-svc", "s3cret-value", null, null).toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> { throw OAuthError.invalidClient(); }).hasMessage("Client authentication failed");
    }
}
