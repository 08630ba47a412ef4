package dev.sigil.session;

import dev.sigil.error.TokenRevokedException;
import dev.sigil.token.BearerPrincipal;
import dev.sigil.token.VerifiedToken.UserToken;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Makes every bearer endpoint of Sigil revocation-aware: after the token was verified and its claims typed
 * (token.BearerParser: only user tokens, ids in Sigil's exact format), its session, jti and user version
 * ({@code uv}) are checked in Redis.
 */
@ApplicationScoped
public class RevocationAugmentor implements SecurityIdentityAugmentor {

    private final SessionStore store;

    public RevocationAugmentor(SessionStore store) {
        this.store = store;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof BearerPrincipal bearer)) {
            return Uni.createFrom().item(identity);
        }
        UserToken t = bearer.token();
        return store.isRevoked(t.user(), t.session(), t.jti(), t.version()).map(revoked -> {
            if (revoked) {
                throw new AuthenticationFailedException(new TokenRevokedException());
            }
            return identity;
        });
    }
}
