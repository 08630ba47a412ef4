package dev.sigil.token;

import org.jose4j.jws.JsonWebSignature;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * jose4j's JWS, base64url-encoded by the JDK's encoder (RFC 7515: URL alphabet, no padding) instead of
 * jose4j's bundled codec, which allocates an 8 KiB buffer for every value it encodes and encodes the payload
 * twice (signing input, then the compact form): 32 KiB of garbage per token, 46 % of all the bytes a
 * client-credentials grant allocated. Signing and serialisation stay jose4j's; the tokens are byte for
 * byte the same (AccessTokenIssuerTest compares them with smallrye-jwt's builder).
 */
final class JdkBase64Jws extends JsonWebSignature {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    @Override
    protected String getEncodedHeader() {
        return BASE64URL.encodeToString(getHeaders().getFullHeaderAsJsonString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String getEncodedPayload() {
        return BASE64URL.encodeToString(getUnverifiedPayloadBytes());
    }

    @Override
    public String getEncodedSignature() {
        return BASE64URL.encodeToString(getSignature());
    }
}
