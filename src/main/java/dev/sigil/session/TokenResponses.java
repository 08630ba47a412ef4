package dev.sigil.session;

import dev.sigil.config.SigilConfig;
import dev.sigil.web.TokenResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Turns a {@link TokenGrant} into the HTTP answer of login and refresh: body, cookie, no-store. */
@ApplicationScoped
public class TokenResponses {

    private final RefreshCookie cookie;
    private final boolean refreshInBody;

    public TokenResponses(RefreshCookie cookie, SigilConfig config) {
        this.cookie = cookie;
        this.refreshInBody = config.tokens().refreshInBody();
    }

    public Response ok(TokenGrant grant) {
        TokenResponse body = TokenResponse.forUser(grant.accessToken().value(), grant.accessToken().expiresIn(),
                refreshInBody ? grant.refreshToken() : null);
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache")
                .header(HttpHeaders.SET_COOKIE, cookie.set(grant.refreshToken(), grant.refreshMaxAgeSeconds()))
                .build();
    }
}
