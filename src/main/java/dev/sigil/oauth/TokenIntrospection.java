package dev.sigil.oauth;

import dev.sigil.client.ClientTokenStore;
import dev.sigil.session.SessionStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 7662 answers from the key ring and Redis alone: the token is verified with the published keys,
 * then one MGET decides revocation (for a user token: its session, its jti, the user's not-before;
 * for a client token: its jti and the client's not-before, set when it was disabled or deleted).
 * Anything not active is only {@code {"active": false}}.
 */
@ApplicationScoped
public class TokenIntrospection {

    static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final SigilTokens tokens;
    private final SessionStore sessions;
    private final ClientTokenStore clients;

    public TokenIntrospection(SigilTokens tokens, SessionStore sessions, ClientTokenStore clients) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.clients = clients;
    }

    Uni<Map<String, Object>> introspect(String token) {
        SigilTokens.Verified v = tokens.verify(token);
        if (v == null) {
            return Uni.createFrom().item(INACTIVE);
        }
        return revoked(v).map(revoked -> revoked ? INACTIVE : active(v));
    }

    Uni<Boolean> revoked(SigilTokens.Verified v) {
        if (v instanceof SigilTokens.UserToken u) {
            return sessions.isRevoked(u.user(), u.sid(), u.jti(), u.version());
        }
        SigilTokens.ClientToken c = (SigilTokens.ClientToken) v;
        return clients.isRevoked(c.client(), c.jti(), c.issuedAt());
    }

    private static Map<String, Object> active(SigilTokens.Verified v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", true);
        out.put("token_type", "Bearer");
        out.putAll(v.claims().getClaimsMap());
        Object upn = out.get("upn");
        if (upn != null) {
            out.put("username", upn);
        }
        return out;
    }
}
