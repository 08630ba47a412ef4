package dev.sigil.oauth;

import dev.sigil.client.RegisteredClient;
import dev.sigil.error.OAuthError;
import dev.sigil.token.AccessToken;
import dev.sigil.token.AccessTokenIssuer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** RFC 6749 section 4.4: a token for an authenticated client, with requested scopes within its allowed ones. */
@ApplicationScoped
public class ClientCredentialsGrant {

    /** scope = scope-token *( SP scope-token ), scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
    private static final Pattern SCOPE_PARAM = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*");

    public record Granted(AccessToken token, List<String> scopes) {
    }

    private final AccessTokenIssuer issuer;

    public ClientCredentialsGrant(AccessTokenIssuer issuer) {
        this.issuer = issuer;
    }

    Granted grant(RegisteredClient client, String scopeParam) {
        List<String> scopes = scopes(scopeParam, client.scopes(), client.defaultScopes());
        return new Granted(issuer.issueForClient(client.id().value(), scopes, client.audience(), client.tokenLifetimeSeconds()), scopes);
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
}
