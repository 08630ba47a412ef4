package dev.sigil.key;

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
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Makes smallrye-jwt verify bearer tokens with Sigil's own key ring (looked up by {@code kid}) instead
 * of a configured key location: no HTTP call to itself, and key rotation is seen at once.
 * Issuer, audience, algorithm and clock skew still come from the standard {@code mp.jwt.verify.*} settings.
 */
@ApplicationScoped
public class KeyRingJwtParser {

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
            JwtContext jwt = parser.parse(token, info);
            String typ = jwt.getJoseObjects().get(0).getHeader("typ");
            if (!"JWT".equals(typ)) {
                // Only Sigil's access tokens (typ JWT) are accepted, not other JWT kinds signed elsewhere.
                throw new ParseException("Unexpected token type");
            }
            return new DefaultJWTCallerPrincipal(token, typ, jwt.getJwtClaims());
        }
    }
}
