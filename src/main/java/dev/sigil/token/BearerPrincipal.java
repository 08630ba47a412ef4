package dev.sigil.token;

import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.token.VerifiedToken.UserToken;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import org.jose4j.jwt.JwtClaims;

import java.util.Set;

/**
 * The principal of a bearer request: smallrye-jwt's view of the token for the framework, and the
 * {@link UserToken} parsed once by {@link AccessTokenVerifier} for Sigil's code. Its roles are the typed
 * {@code groups}.
 */
public final class BearerPrincipal extends DefaultJWTCallerPrincipal {

    private final UserToken token;

    BearerPrincipal(String raw, UserToken token) {
        // smallrye-jwt rewrites the claims it is given (JSON types), so it gets a copy of its own.
        super(raw, "JWT", copy(token));
        this.token = token;
    }

    public UserToken token() {
        return token;
    }

    @Override
    public Set<String> getGroups() {
        return token.groups();
    }

    /**
     * The caller of a bearer endpoint, revocation-checked by the session package's augmentor before any
     * resource method runs. An identity without one is refused as an invalid token (never expected there).
     */
    public static UserToken caller(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof BearerPrincipal p) {
            return p.token;
        }
        throw new SigilException(ErrorCode.INVALID_TOKEN, "The access token is invalid");
    }

    private static JwtClaims copy(UserToken token) {
        JwtClaims claims = new JwtClaims();
        token.claims().forEach(claims::setClaim);
        return claims;
    }
}
