package dev.sigil.oauth;

import dev.sigil.client.ClientCache;
import dev.sigil.client.ClientTokenStore;
import dev.sigil.client.ExchangePolicy;
import dev.sigil.client.RegisteredClient;
import dev.sigil.id.ClientId;
import dev.sigil.id.TokenId;
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
 * has none of the token's audiences left; a token from token exchange also as its actor stands now (see
 * {@link #standing}). RFC 7662 section 4: a caller learns of a token only when it is the token's own client or
 * its current actor, or when its {@code introspection_audiences} share an audience with the token.
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

    /** A live token as it stands now: the audiences and scopes it still has ({@code scopes} null: a user's own, unscoped token). */
    record Standing(List<String> audience, List<String> scopes) {
    }

    /** {@code caller}: the authenticated client asking, as its current record. */
    Uni<Map<String, Object>> introspect(RegisteredClient caller, String token) {
        VerifiedToken v = verified(token);
        // Checked before Redis is asked: a caller not entitled learns nothing, and costs nothing more.
        if (v == null || !entitled(caller, v, v.audience())) {
            return Uni.createFrom().item(INACTIVE);
        }
        return standing(v).map(now -> now == null || !entitled(caller, v, now.audience()) ? INACTIVE
                : active(v, now.audience(), v instanceof ClientToken || !v.actors().isEmpty() ? now.scopes() : null));
    }

    /**
     * The token as it stands now, or null when it no longer works: revoked (a user token: its session, its jti,
     * the user's version; a client token: its jti and the client's not-before), or its client disabled, deleted or
     * left without any of the token's audiences. A token from token exchange also depends on its current actor
     * (the client that asked for it): that client's not-before, its being enabled, its audiences (the token's
     * {@code aud} keeps only those it may still request), whether it may still exchange this kind of subject, and
     * the scopes it may still pass on. Each client's record is read under its version (see ClientCache), so an admin
     * change is seen at once on every replica.
     */
    Uni<Standing> standing(VerifiedToken v) {
        Uni<Standing> subject;
        if (v instanceof UserToken u) {
            subject = sessions.isRevoked(u.user(), u.session(), u.jti(), u.version())
                    .map(revoked -> revoked ? null : new Standing(u.audience(), u.scopes()));
        } else {
            ClientToken c = (ClientToken) v;
            subject = current(c.client(), c.jti(), c.issuedAtTicks()).map(client -> {
                if (client == null) {
                    return null;
                }
                // An exchanged token's aud is what its actor asked for, checked against the actor below.
                List<String> audience = c.actors().isEmpty() ? within(c.audience(), client.audience()) : c.audience();
                return audience.isEmpty() ? null : new Standing(audience, within(c.scopes(), client.scopes()));
            });
        }
        if (v.actors().isEmpty()) {
            return subject;
        }
        ClientId actor = v.actors().get(0);
        String kind = v instanceof UserToken ? ExchangePolicy.USER : ExchangePolicy.CLIENT;
        return subject.flatMap(s -> s == null ? Uni.createFrom().<Standing>nullItem()
                : current(actor, v.jti(), v.jti().issuedAtTicks().orElse(-1)).map(a -> {
                    if (a == null || !a.exchange().mayExchange(kind)) {
                        return null;
                    }
                    List<String> audience = within(s.audience(), a.audience());
                    return audience.isEmpty() ? null : new Standing(audience, within(s.scopes(), a.exchange().scopes()));
                }));
    }

    /** The client's current record, or null when it is deleted, disabled, or its not-before or deny list revokes {@code jti}. */
    private Uni<RegisteredClient> current(ClientId client, TokenId jti, long issuedAtTicks) {
        return clients.tokenState(client, jti, issuedAtTicks).flatMap(state -> state.revoked()
                ? Uni.createFrom().<RegisteredClient>nullItem()
                : records.get(client, state.version()).map(c -> c == null || !c.enabled() ? null : c));
    }

    private static List<String> within(List<String> values, List<String> allowed) {
        return values.stream().filter(allowed::contains).toList();
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

    private static boolean entitled(RegisteredClient caller, VerifiedToken v, List<String> audience) {
        if (v instanceof ClientToken c && c.client().equals(caller.id())) {
            return true; // it holds the token already, and may learn whether it still works
        }
        if (!v.actors().isEmpty() && v.actors().get(0).equals(caller.id())) {
            return true; // the client that exchanged for the token holds it too
        }
        return audience.stream().anyMatch(caller.introspectionAudiences()::contains);
    }

    /** {@code scopes}: the token's current scopes (null for a user's own token, which has none). */
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
