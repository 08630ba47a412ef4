package dev.sigil.session;

import dev.sigil.config.SigilConfig;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.web.Callers;
import dev.sigil.web.CrossSiteGuard;
import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    private final ObjectMapper json;
    private final boolean tokenInBody;

    /** Body accepted only with {@code sigil.tokens.refresh-in-body=true} (native and mobile clients). */
    @RegisterForReflection // read with ObjectMapper directly, which native-image cannot discover
    public record RefreshRequest(@JsonProperty("refresh_token") String refreshToken) {
        @Override
        public String toString() {
            return "RefreshRequest[]";
        }
    }

    public RefreshResource(SessionService sessions, TokenResponses responses, RefreshCookie cookie, CrossSiteGuard crossSite,
                           ObjectMapper json, SigilConfig config) {
        this.sessions = sessions;
        this.responses = responses;
        this.cookie = cookie;
        this.crossSite = crossSite;
        this.json = json;
        this.tokenInBody = config.tokens().refreshInBody();
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rotate the refresh cookie: a new access token and a new refresh cookie")
    @APIResponse(responseCode = "200", description = "Rotated (or the racing predecessor within the grace period)")
    @APIResponse(responseCode = "401", description = "invalid_refresh_token or refresh_token_reused; the cookie is cleared. "
            + "invalid_refresh_token without clearing anything when the request carries more than one refresh cookie")
    @APIResponse(responseCode = "403", description = "cross_site_request")
    @APIResponse(responseCode = "503", description = "unavailable (with Retry-After)")
    public Uni<Response> refresh(@Context HttpHeaders headers, @Context HttpServerRequest request, byte[] body) {
        crossSite.check(headers);
        int cookies = cookie.occurrences(headers.getRequestHeader(HttpHeaders.COOKIE));
        if (cookies > 1) {
            return sessions.refuseDuplicateCookie("refresh", cookies, Callers.of(request));
        }
        String token = presented(headers);
        if (token == null && tokenInBody && body != null && body.length > 0) {
            token = fromBody(headers, body);
        }
        return sessions.refresh(token, Callers.of(request)).map(responses::ok).onFailure().transform(cookie::clearOnRefusal);
    }

    private String fromBody(HttpHeaders headers, byte[] body) {
        if (headers.getMediaType() == null || !headers.getMediaType().isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            throw new SigilException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json");
        }
        try {
            RefreshRequest r = json.readValue(body, RefreshRequest.class);
            if (r == null || r.refreshToken() == null) {
                throw SigilException.validation("refresh_token must not be null");
            }
            return r.refreshToken();
        } catch (java.io.IOException e) {
            throw SigilException.validation("The request body is not a JSON object with a string refresh_token");
        }
    }

    @DELETE
    @Operation(summary = "Log out: revoke this cookie's session and clear the cookie (204 even without a valid cookie; "
            + "401 with more than one refresh cookie)")
    @APIResponse(responseCode = "204", description = "Logged out")
    @APIResponse(responseCode = "401", description = "invalid_refresh_token: more than one refresh cookie; nothing is revoked or cleared")
    @APIResponse(responseCode = "403", description = "cross_site_request")
    public Uni<Response> logout(@Context HttpHeaders headers, @Context HttpServerRequest request) {
        crossSite.check(headers);
        int cookies = cookie.occurrences(headers.getRequestHeader(HttpHeaders.COOKIE));
        if (cookies > 1) {
            return sessions.refuseDuplicateCookie("logout", cookies, Callers.of(request));
        }
        return sessions.logout(presented(headers), Callers.of(request))
                .map(x -> Response.noContent().header(HttpHeaders.SET_COOKIE, cookie.clear())
                        .header(HttpHeaders.CACHE_CONTROL, "no-store").build());
    }

    private String presented(HttpHeaders headers) {
        Cookie c = headers.getCookies().get(cookie.name());
        return c == null ? null : c.getValue();
    }
}
