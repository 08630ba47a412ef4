package dev.sigil.session;

import dev.sigil.error.TokenRevokedException;
import dev.sigil.token.BearerIds;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonNumber;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Makes every bearer endpoint of Sigil revocation-aware: after smallrye-jwt has verified the
 * signature and claims, the token's session, jti and user version ({@code uv}) are checked in Redis.
 * The ids are parsed first: a token whose {@code sub}, {@code sid} or {@code jti} is not in Sigil's
 * format is refused here, before any of them can name a key. A token carrying {@code client_id} (a service
 * token) is refused too: only introspection answers for those.
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
        if (jwt.containsClaim("client_id")) {
            // A service token is never a signed-in user here, whatever else it carries (RFC 8725 section 3.12).
            return Uni.createFrom().failure(new AuthenticationFailedException("a client token is not a user token"));
        }
        BearerIds ids = BearerIds.of(jwt).orElse(null);
        if (ids == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("sub, sid or jti is not in Sigil's format"));
        }
        Long version = version(jwt.getClaim("uv"));
        if (version == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("uv is absent or not a non-negative integer"));
        }
        return store.isRevoked(ids.user(), ids.session(), ids.token(), version).map(revoked -> {
            if (revoked) {
                throw new AuthenticationFailedException(new TokenRevokedException());
            }
            return identity;
        });
    }

    /**
     * The token's user version; null (refused) for anything but a non-negative integer, absence included:
     * every access token Sigil issues carries {@code uv}, so one without it is not Sigil's.
     */
    static Long version(Object claim) {
        try {
            long v;
            if (claim instanceof JsonNumber n && n.isIntegral()) {
                v = n.longValueExact();
            } else if (claim instanceof Long || claim instanceof Integer) {
                v = ((Number) claim).longValue();
            } else {
                return null;
            }
            return v < 0 ? null : v;
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
