package dev.sigil.oauth;

import dev.sigil.error.OAuthError;
import dev.sigil.id.ClientId;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The client authentication a request carries, parsed strictly: exactly one of client_secret_basic
 * (RFC 6749 section 2.3.1: form-urlencoded id and secret in Basic), client_secret_post, private_key_jwt
 * (RFC 7523). {@code id} is null only for private_key_jwt without a client_id parameter (then the
 * assertion's iss names it); a malformed id is {@code invalid_client}.
 */
record PresentedClient(Method method, ClientId id, String secret, String assertion) {

    enum Method { BASIC, POST, PRIVATE_KEY_JWT, NONE }

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** From the Authorization header and the form fields; throws {@link OAuthError}. */
    static PresentedClient parse(String authorization, String formClientId, String formSecret, String assertionType, String assertion) {
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        boolean post = formSecret != null;
        boolean jwt = assertionType != null || assertion != null;
        int methods = (basic ? 1 : 0) + (post ? 1 : 0) + (jwt ? 1 : 0);
        if (methods > 1) {
            throw OAuthError.invalidRequest("Use exactly one client authentication method");
        }
        if (basic) {
            String[] pair = basicPair(authorization.substring(6).trim());
            ClientId id = id(pair[0]);
            if (formClientId != null && !formClientId.equals(pair[0])) {
                throw OAuthError.invalidRequest("client_id does not match the authenticated client");
            }
            return new PresentedClient(Method.BASIC, id, pair[1], null);
        }
        if (post) {
            if (formClientId == null) {
                throw OAuthError.invalidClient();
            }
            return new PresentedClient(Method.POST, id(formClientId), formSecret, null);
        }
        if (jwt) {
            if (!JWT_BEARER.equals(assertionType) || assertion == null || assertion.isEmpty()) {
                throw OAuthError.invalidRequest("client_assertion_type must be " + JWT_BEARER + " with a client_assertion");
            }
            return new PresentedClient(Method.PRIVATE_KEY_JWT, formClientId == null ? null : id(formClientId), null, assertion);
        }
        return new PresentedClient(Method.NONE, null, null, null);
    }

    private static ClientId id(String raw) {
        ClientId id = ClientId.parse(raw);
        if (id == null) {
            throw OAuthError.invalidClient();
        }
        return id;
    }

    private static String[] basicPair(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw OAuthError.invalidClient();
            }
            return new String[] {
                    URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidClient();
        }
    }

    @Override
    public String toString() {
        return "PresentedClient[" + method.name().toLowerCase(Locale.ROOT) + ", " + id + "]"; // never the secret or assertion
    }
}
