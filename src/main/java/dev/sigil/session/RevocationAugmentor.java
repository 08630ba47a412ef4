package dev.sigil.session;

import dev.sigil.error.TokenRevokedException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.UUID;

/**
 * Makes every bearer endpoint of Sigil revocation-aware: after smallrye-jwt has verified the
 * signature and claims, the token's session, jti and the user's not-before are checked in Redis.
 */
@ApplicationScoped
public class RevocationAugmentor implements SecurityIdentityAugmentor {

    private final SessionStore store;

    public RevocationAugmentor(SessionStore store) {
        this.store = store;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        UUID user;
        try {
            user = UUID.fromString(jwt.getSubject());
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException("sub is not a Sigil user id"));
        }
        String sid = jwt.getClaim("sid");
        String jti = jwt.getTokenID();
        if (sid == null || jti == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("missing sid or jti"));
        }
        return store.isRevoked(user, sid, jti, jwt.getIssuedAtTime()).map(revoked -> {
            if (revoked) {
                throw new AuthenticationFailedException(new TokenRevokedException());
            }
            return identity;
        });
    }
}
