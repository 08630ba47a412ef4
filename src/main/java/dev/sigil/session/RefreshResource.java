package dev.sigil.session;

import dev.sigil.web.Clients;
import dev.sigil.web.CrossSiteGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The cookie-authenticated endpoints: rotate the refresh token, or log out its session. */
@Path("/refresh-token")
@Tag(name = "Sessions")
public class RefreshResource {

    private final SessionService sessions;
    private final TokenResponses responses;
    private final RefreshCookie cookie;
    private final CrossSiteGuard crossSite;

    public RefreshResource(SessionService sessions, TokenResponses responses, RefreshCookie cookie, CrossSiteGuard crossSite) {
        this.sessions = sessions;
        this.responses = responses;
        this.cookie = cookie;
        this.crossSite = crossSite;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rotate the refresh cookie: a new access token and a new refresh cookie")
    @APIResponse(responseCode = "200", description = "Rotated (or the racing predecessor within the grace period)")
    @APIResponse(responseCode = "401", description = "invalid_refresh_token or refresh_token_reused; the cookie is cleared")
    @APIResponse(responseCode = "403", description = "cross_site_request")
    @APIResponse(responseCode = "503", description = "unavailable (with Retry-After)")
    public Uni<Response> refresh(@Context HttpHeaders headers, @Context HttpServerRequest request) {
        crossSite.check(headers);
        return sessions.refresh(presented(headers), Clients.of(request)).map(responses::ok);
    }

    @DELETE
    @Operation(summary = "Log out: revoke this cookie's session and clear the cookie (204 even without a valid cookie)")
    @APIResponse(responseCode = "204", description = "Logged out")
    @APIResponse(responseCode = "403", description = "cross_site_request")
    public Uni<Response> logout(@Context HttpHeaders headers, @Context HttpServerRequest request) {
        crossSite.check(headers);
        return sessions.logout(presented(headers), Clients.of(request))
                .map(x -> Response.noContent().header(HttpHeaders.SET_COOKIE, cookie.clear())
                        .header(HttpHeaders.CACHE_CONTROL, "no-store").build());
    }

    private String presented(HttpHeaders headers) {
        Cookie c = headers.getCookies().get(cookie.name());
        return c == null ? null : c.getValue();
    }
}
