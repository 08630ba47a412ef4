package dev.sigil.oauth;

import dev.sigil.client.ClientCache;
import dev.sigil.client.ClientTokenStore;
import dev.sigil.client.RegisteredClient;
import dev.sigil.session.SessionStore;
import dev.sigil.token.AccessTokenVerifier;
import dev.sigil.token.RejectedToken;
import dev.sigil.token.VerifiedToken;
import dev.sigil.token.VerifiedToken.ClientToken;
import dev.sigil.token.VerifiedToken.UserToken;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 7662 answers from the key ring, Redis and the client record cache: the token is verified with the
 * published keys, then Redis decides revocation (for a user token: its session, its jti, the user's version;
 * for a client token: its jti and the client's not-before, set when it was disabled or deleted). A client
 * token is answered as its client's record stands now, read under the record's version (see ClientCache):
 * only the scopes and audiences the client still has, and inactive once the client is disabled, deleted or
 * has none of the token's audiences left. RFC 7662 section 4: a caller learns of a token only when it is the
 * token's own client, or when its {@code introspection_audiences} share an audience with the token.
 * Anything else is only {@code {"active": false}}.
 */
@ApplicationScoped
public class TokenIntrospection {

    static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final AccessTokenVerifier tokens;
    private final SessionStore sessions;
    private final ClientTokenStore clients;
    private final ClientCache records;

    public TokenIntrospection(AccessTokenVerifier tokens, SessionStore sessions, ClientTokenStore clients, ClientCache records) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.clients = clients;
        this.records = records;
    }

    /** {@code caller}: the authenticated client asking, as its current record. */
    Uni<Map<String, Object>> introspect(RegisteredClient caller, String token) {
        VerifiedToken v = verified(token);
        // Checked before Redis is asked: a caller not entitled learns nothing, and costs nothing more.
        if (v == null || !entitled(caller, v, v.audience())) {
            return Uni.createFrom().item(INACTIVE);
        }
        if (v instanceof UserToken u) {
            return sessions.isRevoked(u.user(), u.session(), u.jti(), u.version())
                    .map(revoked -> revoked ? INACTIVE : active(u, u.audience(), null));
        }
        ClientToken c = (ClientToken) v;
        return clients.tokenState(c.client(), c.jti(), c.issuedAtTicks()).flatMap(state -> state.revoked()
                ? Uni.createFrom().item(INACTIVE)
                : records.get(c.client(), state.version()).map(client -> current(caller, c, client)));
    }

    /**
     * The verified token, or null for anything else (input is hostile: the form's token is no exception's cause).
     * At most 8 KiB is verified at all, before any parsing.
     */
    VerifiedToken verified(String token) {
        if (token == null || token.length() > 8192) {
            return null;
        }
        try {
            return tokens.verify(token);
        } catch (RejectedToken e) {
            return null;
        }
    }

    /** The client token as its client's record stands now. */
    private static Map<String, Object> current(RegisteredClient caller, ClientToken t, RegisteredClient client) {
        if (client == null || !client.enabled()) {
            return INACTIVE;
        }
        List<String> audience = t.audience().stream().filter(client.audience()::contains).toList();
        if (audience.isEmpty() || !entitled(caller, t, audience)) {
            return INACTIVE;
        }
        return active(t, audience, t.scopes().stream().filter(client.scopes()::contains).toList());
    }

    private static boolean entitled(RegisteredClient caller, VerifiedToken v, List<String> audience) {
        if (v instanceof ClientToken c && c.client().equals(caller.id())) {
            return true; // it holds the token already, and may learn whether it still works
        }
        return audience.stream().anyMatch(caller.introspectionAudiences()::contains);
    }

    /** {@code scopes}: the client token's current scopes (null for a user token, which has none). */
    private static Map<String, Object> active(VerifiedToken v, List<String> audience, List<String> scopes) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", true);
        out.put("token_type", "Bearer");
        out.putAll(v.claims());
        out.put("aud", audience.size() == 1 ? audience.get(0) : audience);
        if (scopes != null) {
            out.remove("scope");
            if (!scopes.isEmpty()) {
                out.put("scope", String.join(" ", scopes));
            }
        }
        Object upn = out.get("upn");
        if (upn != null) {
            out.put("username", upn);
        }
        return out;
    }
}
