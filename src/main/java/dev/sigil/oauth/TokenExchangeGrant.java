package dev.sigil.oauth;

import dev.sigil.audit.Audit;
import dev.sigil.client.ExchangePolicy;
import dev.sigil.client.RegisteredClient;
import dev.sigil.config.SigilConfig;
import dev.sigil.error.OAuthError;
import dev.sigil.id.ClientId;
import dev.sigil.token.AccessToken;
import dev.sigil.token.AccessTokenIssuer;
import dev.sigil.token.VerifiedToken;
import dev.sigil.token.VerifiedToken.ClientToken;
import dev.sigil.token.VerifiedToken.UserToken;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sigil.crypto.Digests;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * OAuth 2.0 Token Exchange (RFC 8693) for delegation: an authenticated client hands in a Sigil access token (a
 * user's or a client's) and gets one for an API it may call, acting for the token's subject. The new token keeps
 * the subject ({@code sub}, a user's {@code sid} and {@code uv}: it dies with the session), adds the client as the
 * current actor ({@code act}, over earlier hops), lives no longer than the subject token and only ever narrows:
 * its audience is one the client may request, its scopes are among the subject's and those the client may pass on.
 */
@ApplicationScoped
public class TokenExchangeGrant {

    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    static final String REFRESH_TOKEN = "urn:ietf:params:oauth:token-type:refresh_token";

    /** The exchange's parameters as sent (RFC 8693 section 2.1); {@code target} carries scope, resource and audience. */
    record Request(String subjectToken, String subjectTokenType, String actorToken, String actorTokenType,
                   String requestedTokenType, ClientCredentialsGrant.Request target) {
    }

    /**
     * Subject tokens verified in the last {@link #VERIFIED_TTL}, by digest: a service exchanges the same incoming token
     * for each call it makes downstream, and a token's signature and claims never change. Only the verification is
     * kept: whether the token still works is read from Redis on every exchange. Short-lived, so that a signing key
     * taken out of the ring stops a token here soon after the ring notices (sigil.keys.reload-interval).
     */
    static final int VERIFIED_ENTRIES = 1_000;
    static final Duration VERIFIED_TTL = Duration.ofSeconds(10);

    private final Cache<String, VerifiedToken> verified;
    private final TokenIntrospection tokens;
    private final AccessTokenIssuer issuer;
    private final Audit audit;
    private final List<String> userAudience;
    private final int maxDepth;
    private final long lifetime;

    public TokenExchangeGrant(TokenIntrospection tokens, AccessTokenIssuer issuer, Audit audit, SigilConfig config,
                              MeterRegistry registry) {
        this.verified = CaffeineCacheMetrics.monitor(registry, Caffeine.newBuilder().maximumSize(VERIFIED_ENTRIES)
                .expireAfterWrite(VERIFIED_TTL).recordStats().<String, VerifiedToken>build(), "exchange-subjects");
        this.tokens = tokens;
        this.issuer = issuer;
        this.audit = audit;
        this.userAudience = List.copyOf(config.audience());
        this.maxDepth = config.tokenExchange().maxDepth();
        this.lifetime = config.tokenExchange().lifetime().toSeconds();
    }

    /**
     * Exchanges for {@code client}, authenticated already. The checks that need no Redis come first, so a request
     * that breaks a rule costs nothing more; then the subject (and any actor token) must still work, as
     * introspection would answer now.
     */
    Uni<ClientCredentialsGrant.Granted> exchange(RegisteredClient client, Request r) {
        if (r.subjectToken() == null || r.subjectTokenType() == null) {
            throw OAuthError.invalidRequest("subject_token and subject_token_type are required");
        }
        if ((r.actorToken() == null) != (r.actorTokenType() == null)) {
            throw OAuthError.invalidRequest("actor_token and actor_token_type go together");
        }
        if (REFRESH_TOKEN.equals(r.subjectTokenType())) {
            throw OAuthError.invalidRequest("A refresh token cannot be exchanged; exchange an access token");
        }
        if (!ACCESS_TOKEN.equals(r.subjectTokenType()) || (r.actorTokenType() != null && !ACCESS_TOKEN.equals(r.actorTokenType()))) {
            throw OAuthError.invalidRequest("Only access tokens (" + ACCESS_TOKEN + ") can be exchanged");
        }
        if (r.requestedTokenType() != null && !ACCESS_TOKEN.equals(r.requestedTokenType())) {
            throw OAuthError.invalidRequest("Only an access token can be requested");
        }
        ExchangePolicy policy = client.exchange();
        if (policy.subjects().isEmpty()) {
            throw OAuthError.unauthorizedClient("This client may not exchange tokens");
        }
        VerifiedToken subject = verifiedSubject(r.subjectToken());
        if (subject == null) {
            throw OAuthError.invalidRequest("subject_token is not a valid access token of this issuer (malformed, expired, "
                    + "foreign or a refresh token)");
        }
        String kind = subject instanceof UserToken ? ExchangePolicy.USER : ExchangePolicy.CLIENT;
        if (!policy.mayExchange(kind)) {
            throw OAuthError.unauthorizedClient("This client may not exchange " + kind + " tokens");
        }
        if (subject.mayAct() != null && !subject.mayAct().equals(client.id().value())) {
            throw OAuthError.unauthorizedClient("The subject token's may_act names another party");
        }
        if (subject.actors().size() >= maxDepth) {
            throw OAuthError.invalidRequest("The delegation chain may have at most " + maxDepth + " hops");
        }
        List<String> allowed = client.audience().stream().filter(a -> !userAudience.contains(a)).toList();
        List<String> audience = ClientCredentialsGrant.audience(r.target().resources(), r.target().audience(), allowed);
        VerifiedToken actor = r.actorToken() == null ? null : tokens.verified(r.actorToken());
        if (r.actorToken() != null && !(actor instanceof ClientToken a && a.client().equals(client.id()) && a.actors().isEmpty())) {
            throw OAuthError.invalidRequest("actor_token must be a valid access token of the calling client itself");
        }
        Uni<Boolean> actorLive = actor == null ? Uni.createFrom().item(true) : tokens.standing(actor).map(s -> s != null);
        return actorLive.flatMap(live -> {
            if (!live) {
                throw OAuthError.invalidRequest("actor_token is revoked");
            }
            return tokens.standing(subject);
        }).map(now -> {
            if (now == null) {
                throw OAuthError.invalidRequest("subject_token is revoked");
            }
            List<String> scopes = scopes(r.target().scope(), now.scopes(), policy.scopes());
            AccessToken token = issuer.issueExchanged(subject, client.id().value(), scopes, audience,
                    Math.min(lifetime, client.tokenLifetimeSeconds()));
            if (token == null) {
                throw OAuthError.invalidRequest("subject_token has expired");
            }
            audit.event("token_exchange", "ok").with("client_id", client.id()).with("subject", subject.claims().get("sub"))
                    .with("subject_type", kind).with("actors", chain(client.id(), subject.actors()))
                    .with("aud", String.join(" ", audience)).with("scope", String.join(" ", scopes)).log();
            return new ClientCredentialsGrant.Granted(token, scopes, ACCESS_TOKEN);
        });
    }

    /** The verified subject token, from {@link #verified} when it was verified lately; null when it does not verify. */
    private VerifiedToken verifiedSubject(String token) {
        if (token.length() > 8192) {
            return null;
        }
        String key = Digests.sha256Url(token.getBytes(StandardCharsets.UTF_8));
        VerifiedToken v = verified.getIfPresent(key);
        if (v == null) {
            v = tokens.verified(token);
            if (v != null) {
                verified.put(key, v);
            }
        }
        return v;
    }

    /**
     * The new token's scopes. {@code subject}: the subject's current scopes, or null for a user's own token (not
     * scoped: then only {@code passable} bounds them). Requested scopes must lie within both, else invalid_scope;
     * none requested: what the subject has and the client may pass on (none for an unscoped subject).
     */
    static List<String> scopes(String requested, List<String> subject, List<String> passable) {
        List<String> allowed = subject == null ? passable : subject.stream().filter(passable::contains).toList();
        List<String> defaults = subject == null ? List.of() : allowed;
        if (requested != null && !requested.isEmpty()) {
            List<String> asked = ClientCredentialsGrant.scopes(requested, List.copyOf(passable), List.of());
            if (subject != null && !subject.containsAll(asked)) {
                throw OAuthError.invalidScope("The subject token lacks one or more of these scopes");
            }
            return asked;
        }
        return defaults;
    }

    /** The actor chain for the audit line: the client, then each earlier actor, separated by {@code <}. */
    private static String chain(ClientId client, List<ClientId> earlier) {
        List<String> all = new ArrayList<>();
        all.add(client.value());
        earlier.forEach(c -> all.add(c.value()));
        return String.join("<", all);
    }
}
