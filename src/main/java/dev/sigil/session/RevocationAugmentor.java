package dev.sigil.session;

import dev.sigil.error.TokenRevokedException;
import dev.sigil.token.BearerIds;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Makes every bearer endpoint of Sigil revocation-aware: after smallrye-jwt has verified the
 * signature and claims, the token's session, jti and the user's not-before are checked in Redis.
 * The ids are parsed first: a token whose {@code sub}, {@code sid} or {@code jti} is not in Sigil's
 * format is refused here, before any of them can name a key.
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
        BearerIds ids = BearerIds.of(jwt).orElse(null);
        if (ids == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("sub, sid or jti is not in Sigil's format"));
        }
        return store.isRevoked(ids.user(), ids.session(), ids.token(), jwt.getIssuedAtTime()).map(revoked -> {
            if (revoked) {
                throw new AuthenticationFailedException(new TokenRevokedException());
            }
            return identity;
        });
    }
}
