package dev.sigil.oauth;

import dev.sigil.client.RegisteredClient;
import dev.sigil.config.SigilConfig;
import dev.sigil.error.OAuthError;
import dev.sigil.token.AccessToken;
import dev.sigil.token.AccessTokenIssuer;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * RFC 6749 section 4.4: a token for an authenticated client, with requested scopes within its allowed ones,
 * for one or more of the APIs registered for it (RFC 8707 {@code resource}, or {@code audience}; else its first).
 */
@ApplicationScoped
public class ClientCredentialsGrant {

    /** scope = scope-token *( SP scope-token ), scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
    private static final Pattern SCOPE_PARAM = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*");

    /** An issued token and its scopes; {@code issuedTokenType} for a token exchange (RFC 8693 section 2.2.1), else null. */
    public record Granted(AccessToken token, List<String> scopes, String issuedTokenType) {
    }

    /** What the client asked for at the token endpoint: {@code scope}, every {@code resource}, {@code audience}. */
    record Request(String scope, List<String> resources, String audience) {
    }

    private final AccessTokenIssuer issuer;
    private final List<String> userAudience;

    public ClientCredentialsGrant(AccessTokenIssuer issuer, SigilConfig config) {
        this.issuer = issuer;
        this.userAudience = List.copyOf(config.audience());
    }

    Granted grant(RegisteredClient client, Request request) {
        List<String> scopes = scopes(request.scope(), client.scopes(), client.defaultScopes());
        // The admin API refuses the user audience; this also holds if sigil.audience later comes to name a client's API.
        List<String> allowed = client.audience().stream().filter(a -> !userAudience.contains(a)).toList();
        List<String> audience = audience(request.resources(), request.audience(), allowed);
        return new Granted(issuer.issueForClient(client.id().value(), scopes, audience, client.tokenLifetimeSeconds()), scopes, null);
    }

    /** The requested scopes (a subset of {@code allowed}), or {@code defaults} when none are requested. */
    static List<String> scopes(String requested, List<String> allowed, List<String> defaults) {
        if (requested == null || requested.isEmpty()) {
            return defaults;
        }
        if (requested.length() > 4096 || !SCOPE_PARAM.matcher(requested).matches()) {
            throw OAuthError.invalidScope("scope must be space-separated scope tokens");
        }
        List<String> asked = List.copyOf(new LinkedHashSet<>(Arrays.asList(requested.split(" "))));
        if (!allowed.containsAll(asked)) {
            throw OAuthError.invalidScope("The client may not request one or more of these scopes");
        }
        return asked;
    }

    /**
     * The token's {@code aud}: every requested {@code resource} (RFC 8707: absolute URIs without a fragment, each
     * among {@code allowed}, else {@code invalid_target} for the whole request), or the one {@code audience}, or
     * the first of {@code allowed}.
     */
    static List<String> audience(List<String> resources, String audience, List<String> allowed) {
        if (!resources.isEmpty() && audience != null) {
            throw OAuthError.invalidRequest("Give resource or audience, not both");
        }
        if (allowed.isEmpty()) {
            throw OAuthError.unauthorizedClient("The client has no audience its tokens may be issued for");
        }
        if (audience != null) {
            if (!allowed.contains(audience)) {
                throw OAuthError.invalidTarget("The client may not request this audience");
            }
            return List.of(audience);
        }
        if (resources.isEmpty()) {
            return List.of(allowed.get(0));
        }
        for (String r : resources) {
            if (!allowed.contains(r) || !absoluteWithoutFragment(r)) {
                throw OAuthError.invalidTarget("The client may not request one or more of these resources");
            }
        }
        return List.copyOf(new LinkedHashSet<>(resources));
    }

    private static boolean absoluteWithoutFragment(String value) {
        try {
            URI u = new URI(value);
            return u.isAbsolute() && u.getRawFragment() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
