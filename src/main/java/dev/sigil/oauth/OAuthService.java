package dev.sigil.oauth;

import dev.sigil.audit.Audit;
import dev.sigil.client.ClientTokenStore;
import dev.sigil.client.RegisteredClient;
import dev.sigil.error.OAuthError;
import dev.sigil.session.SessionService;
import dev.sigil.token.VerifiedToken;
import dev.sigil.token.VerifiedToken.ClientToken;
import dev.sigil.token.VerifiedToken.UserToken;
import dev.sigil.web.CallerAddress;
import dev.sigil.web.CallerInfo;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;

import java.util.Map;

/** The rules of the /oauth2 endpoints; every failure leaves as an {@link OAuthError}. */
@ApplicationScoped
public class OAuthService {

    private final ClientAuthenticator authenticator;
    private final Grants grants;
    private final TokenIntrospection introspection;
    private final SessionService sessions;
    private final ClientTokenStore clientTokens;
    private final Audit audit;

    public OAuthService(ClientAuthenticator authenticator, Grants grants, TokenIntrospection introspection,
                        SessionService sessions, ClientTokenStore clientTokens, Audit audit) {
        this.authenticator = authenticator;
        this.grants = grants;
        this.introspection = introspection;
        this.sessions = sessions;
        this.clientTokens = clientTokens;
        this.audit = audit;
    }

    /** The two grants of the token endpoint, one bean so that this service keeps few dependencies (no proxy: fields are read). */
    @Singleton
    static class Grants {
        final ClientCredentialsGrant clientCredentials;
        final TokenExchangeGrant exchange;

        Grants(ClientCredentialsGrant clientCredentials, TokenExchangeGrant exchange) {
            this.clientCredentials = clientCredentials;
            this.exchange = exchange;
        }
    }

    /**
     * POST /oauth2/token: the client is authenticated first, so an unauthenticated caller learns nothing; then
     * client_credentials (RFC 6749 section 4.4) or token exchange (RFC 8693). A refused exchange is audited.
     */
    Uni<ClientCredentialsGrant.Granted> token(PresentedClient presented, FormParameters form, CallerAddress address) {
        return authenticator.authenticate(presented, address).flatMap(client -> {
            String grantType = form.single("grant_type");
            ClientCredentialsGrant.Request target = new ClientCredentialsGrant.Request(form.single("scope"), form.all("resource"),
                    form.single("audience"));
            if (grantType == null) {
                throw OAuthError.invalidRequest("grant_type is required");
            }
            if ("client_credentials".equals(grantType)) {
                ClientCredentialsGrant.Granted g = grants.clientCredentials.grant(client, target);
                audit.count("client_token", "issued");
                return Uni.createFrom().item(g);
            }
            if (!TokenExchangeGrant.GRANT_TYPE.equals(grantType)) {
                throw OAuthError.unsupportedGrantType();
            }
            TokenExchangeGrant.Request request = new TokenExchangeGrant.Request(form.single("subject_token"),
                    form.single("subject_token_type"), form.single("actor_token"), form.single("actor_token_type"),
                    form.single("requested_token_type"), target);
            return Uni.createFrom().deferred(() -> grants.exchange.exchange(client, request))
                    .onFailure(OAuthError.class).invoke(e -> audit.event("token_exchange", "refused").with("client_id", client.id())
                            .with("error", ((OAuthError) e).error).warn().log());
        }).onFailure().transform(OAuthError::from);
    }

    /** POST /oauth2/introspect, for authenticated clients only; what each may learn: see {@link TokenIntrospection}. */
    Uni<Map<String, Object>> introspect(PresentedClient presented, String token, CallerAddress address) {
        return authenticator.authenticate(presented, address).flatMap(client -> {
            if (token == null) {
                return Uni.createFrom().failure(OAuthError.invalidRequest("token is required"));
            }
            return introspection.introspect(client, token);
        }).onFailure().transform(OAuthError::from);
    }

    /**
     * POST /oauth2/revoke (RFC 7009). A user's refresh token ends its session; an access token's jti is
     * deny-listed until it expires. Holding a user's token is enough to revoke it (revoking only takes
     * privilege away); a client token can be revoked only by its own, authenticated, client. Unknown,
     * expired or malformed tokens get 200 too.
     */
    Uni<Void> revoke(PresentedClient presented, String token, CallerInfo caller) {
        Uni<RegisteredClient> client = presented.method() == PresentedClient.Method.NONE ? Uni.createFrom().nullItem()
                : authenticator.authenticate(presented, caller.address());
        return client.flatMap(c -> {
            if (token == null) {
                return Uni.createFrom().failure(OAuthError.invalidRequest("token is required"));
            }
            if (token.indexOf('.') < 0) {
                return sessions.logout(token, caller); // a refresh token, or nothing
            }
            VerifiedToken v = introspection.verified(token);
            if (v instanceof UserToken u) {
                return sessions.revokeAccessToken(u.user(), u.jti(), u.expiresAt())
                        .invoke(() -> audit.event("token_revoked", "ok").user(u.user()).session(u.session()).log());
            }
            if (v instanceof ClientToken t) {
                if (c == null) {
                    return Uni.createFrom().failure(OAuthError.invalidClient());
                }
                // Its own client holds it, and so does the client that exchanged for it (its current actor).
                if (!c.id().equals(t.client()) && (t.actors().isEmpty() || !c.id().equals(t.actors().get(0)))) {
                    return Uni.createFrom().failure(OAuthError.unauthorizedClient("A client may revoke only its own tokens"));
                }
                return clientTokens.denyAccessToken(t.client(), t.jti(), t.expiresAt())
                        .invoke(() -> audit.event("token_revoked", "ok").with("client_id", t.client()).log());
            }
            return Uni.createFrom().voidItem();
        }).onFailure().transform(OAuthError::from);
    }
}
