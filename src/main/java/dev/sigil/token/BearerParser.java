package dev.sigil.token;

import dev.sigil.config.SigilConfig;
import dev.sigil.token.VerifiedToken.UserToken;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;

import java.util.Set;

/**
 * Makes smallrye-jwt check bearer tokens with {@link AccessTokenVerifier} (the key ring, looked up by
 * {@code kid}: no key location, no HTTP call to itself) and hand on a {@link BearerPrincipal} that carries the
 * typed token. Sigil's own endpoints accept only user tokens for {@code sigil.audience}: a service token is never
 * a signed-in user there, whatever else it carries (RFC 8725 section 3.12). The {@code mp.jwt.verify.*} settings
 * play no part.
 */
@ApplicationScoped
public class BearerParser {

    @Produces
    @Alternative
    @Priority(1)
    @ApplicationScoped
    JWTParser parser(JWTAuthContextInfo context, AccessTokenVerifier verifier, SigilConfig config) {
        return new DefaultJWTParser(context, new Factory(verifier, Set.copyOf(config.audience())));
    }

    static final class Factory extends JWTCallerPrincipalFactory {
        private final AccessTokenVerifier verifier;
        private final Set<String> audience;

        Factory(AccessTokenVerifier verifier, Set<String> audience) {
            this.verifier = verifier;
            this.audience = audience;
        }

        @Override
        public JWTCallerPrincipal parse(String token, JWTAuthContextInfo info) throws ParseException {
            VerifiedToken verified;
            try {
                verified = verifier.verify(token);
            } catch (RejectedToken e) {
                throw new ParseException("The token could not be verified", e);
            }
            if (!(verified instanceof UserToken user)) {
                throw new ParseException("A client token is not a user token");
            }
            if (!user.actors().isEmpty()) {
                // A token from token exchange acts for the user at another API, never as the user at Sigil.
                throw new ParseException("A delegated token is not the user's own");
            }
            if (user.audience().stream().noneMatch(audience::contains)) {
                throw new ParseException("The token is not for Sigil's audience");
            }
            return new BearerPrincipal(token, user);
        }
    }
}
