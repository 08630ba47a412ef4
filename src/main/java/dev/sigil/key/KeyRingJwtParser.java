package dev.sigil.key;

import dev.sigil.error.Causes;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.lang.UnresolvableKeyException;

import java.util.Base64;
import java.util.List;

/**
 * Makes smallrye-jwt verify bearer tokens with Sigil's own key ring (looked up by {@code kid}) instead
 * of a configured key location: no HTTP call to itself, and key rotation is seen at once.
 * Issuer, audience, algorithm and clock skew still come from the standard {@code mp.jwt.verify.*} settings.
 */
@ApplicationScoped
public class KeyRingJwtParser {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    @Produces
    @Alternative
    @Priority(1)
    @ApplicationScoped
    JWTParser parser(JWTAuthContextInfo context, KeyRing keys) {
        return new DefaultJWTParser(context, new Factory(keys));
    }

    static final class Factory extends JWTCallerPrincipalFactory {
        private final DefaultJWTTokenParser parser;

        Factory(KeyRing keys) {
            this.parser = new DefaultJWTTokenParser() {
                @Override
                protected org.jose4j.keys.resolvers.VerificationKeyResolver getVerificationKeyResolver(JWTAuthContextInfo info) {
                    return (jws, nesting) -> {
                        String kid = jws.getKeyIdHeaderValue();
                        SigningKey key = kid == null ? null : keys.view().byKid().get(kid);
                        if (key == null) {
                            throw new UnresolvableKeyException("No published key matches the token's kid");
                        }
                        return key.publicKey();
                    };
                }
            };
        }

        @Override
        public JWTCallerPrincipal parse(String token, JWTAuthContextInfo info) throws ParseException {
            if (!canonicalCompact(token)) {
                throw new ParseException("The token is not a compact JWS in canonical base64url");
            }
            JwtContext jwt;
            try {
                jwt = parser.parse(token, info);
            } catch (ParseException e) {
                throw new ParseException("The token could not be verified", redacted(e));
            }
            String typ = jwt.getJoseObjects().get(0).getHeader("typ");
            if (!"JWT".equals(typ)) {
                // Only Sigil's access tokens (typ JWT) are accepted, not other JWT kinds signed elsewhere.
                throw new ParseException("Unexpected token type");
            }
            if (issuedInTheFuture(jwt, info.getClockSkew())) {
                // jose4j only requires iat to be present. A token "issued" after now is not one Sigil made
                // (revocation itself no longer compares iat: it compares the user version, uv).
                throw new ParseException("Token issued in the future");
            }
            return new DefaultJWTCallerPrincipal(token, typ, jwt.getJwtClaims());
        }

        /**
         * jose4j's messages quote the token (for a bad signature: {@code JsonWebSignature{...}->eyJ...}) and the
         * claims, and the exception reaches framework DEBUG/TRACE log lines. Only the error codes are kept
         * (which tell an expired token apart); null when the failure was not jose4j's.
         */
        private static InvalidJwtException redacted(Throwable e) {
            InvalidJwtException jwt = Causes.find(e, InvalidJwtException.class);
            if (jwt != null) {
                List<ErrorCodeValidator.Error> codes = jwt.getErrorDetails().stream()
                        .map(d -> new ErrorCodeValidator.Error(d.getErrorCode(), "jose4j error code " + d.getErrorCode()))
                        .toList();
                return new InvalidJwtException("JWT rejected", codes, null);
            }
            return null;
        }

        private static boolean issuedInTheFuture(JwtContext jwt, int skewSeconds) throws ParseException {
            try {
                NumericDate iat = jwt.getJwtClaims().getIssuedAt();
                return iat == null || iat.getValue() > NumericDate.now().getValue() + skewSeconds;
            } catch (MalformedClaimException e) {
                throw new ParseException("Malformed iat", e);
            }
        }
    }

    /**
     * True when the token is three non-empty segments of canonical base64url: no padding, no character
     * outside the alphabet, and zero unused bits in the last character. jose4j decodes more leniently,
     * so one token would otherwise have many spellings (each a distinct string that verifies).
     */
    static boolean canonicalCompact(String token) {
        String[] segments = token.split("\\.", -1);
        if (segments.length != 3) {
            return false;
        }
        for (String segment : segments) {
            if (segment.isEmpty() || !canonical(segment)) {
                return false;
            }
        }
        return true;
    }

    private static boolean canonical(String segment) {
        try {
            return B64.encodeToString(B64D.decode(segment)).equals(segment);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
