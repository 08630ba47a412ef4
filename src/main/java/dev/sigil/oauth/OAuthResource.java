package dev.sigil.oauth;

import dev.sigil.error.OAuthError;
import dev.sigil.web.Callers;
import dev.sigil.web.TokenResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * The OAuth 2.0 endpoints for services: token (client_credentials, token exchange), introspection, revocation. Form
 * bodies in (decoded by {@link FormParameters}), JSON out; errors as RFC 6749 section 5.2 JSON, never problem+json.
 */
@Path("/oauth2")
@Tag(name = "Service tokens (OAuth 2.0)")
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@Produces(MediaType.APPLICATION_JSON)
public class OAuthResource {

    private final OAuthService oauth;

    public OAuthResource(OAuthService oauth) {
        this.oauth = oauth;
    }

    @POST
    @Path("/token")
    @Operation(summary = "client_credentials grant (RFC 6749 section 4.4) or token exchange (RFC 8693); client_secret_basic, "
            + "client_secret_post or private_key_jwt",
            description = "aud is one of the client's registered APIs: every resource parameter (RFC 8707), or the audience "
                    + "parameter, each one the client may request; else the client's first audience. Never the user audience. "
                    + "Token exchange (grant_type=urn:ietf:params:oauth:grant-type:token-exchange): subject_token (a Sigil access "
                    + "token, user's or client's), subject_token_type=urn:ietf:params:oauth:token-type:access_token, optional "
                    + "actor_token/actor_token_type (the client's own token), requested_token_type (access token only), scope; "
                    + "the client's token_exchange policy decides. The new token keeps sub (and sid), adds act: {sub: client} "
                    + "nested per hop, lives at most as long as the subject token, and only narrows scopes and audience.")
    @APIResponse(responseCode = "200", description = "An RS256 access token: sub = client_id = the client, scope, aud (never the "
            + "user audience); no refresh token. For token exchange also issued_token_type (RFC 8693 section 2.2.1)",
            content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "token",
                    value = "{\"access_token\": \"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9...\", \"token_type\": \"Bearer\", \"expires_in\": 900, \"scope\": \"orders.read\"}")))
    @APIResponse(responseCode = "400", description = "invalid_request (for token exchange: a malformed, expired, revoked or foreign "
            + "subject token, a refresh token, the depth cap), invalid_scope (a scope the subject lacks or the client may not pass on), "
            + "unsupported_grant_type (RFC 6749 section 5.2 JSON); invalid_target: a resource (RFC 8707, may be repeated) or audience "
            + "the client may not request; unauthorized_client (e.g. not allowed to exchange this kind of token)")
    @APIResponse(responseCode = "401", description = "invalid_client, with WWW-Authenticate: Basic")
    @APIResponse(responseCode = "429", description = "rate_limited, with Retry-After: repeated failed client authentication")
    @APIResponse(responseCode = "503", description = "temporarily_unavailable, with Retry-After")
    public Uni<Response> token(@RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED)) String body,
                               @Context HttpHeaders headers, @Context HttpServerRequest request) {
        return Uni.createFrom().deferred(() -> {
                    FormParameters form = FormParameters.parse(body);
                    return oauth.token(client(form, headers), form, Callers.of(request).address())
                            .map(g -> noStore(TokenResponse.forClient(g.token().value(), g.token().expiresIn(),
                                    g.scopes().isEmpty() ? null : String.join(" ", g.scopes()), g.issuedTokenType())));
                });
    }

    @POST
    @Path("/introspect")
    @Operation(summary = "Token introspection (RFC 7662) for authenticated clients: active plus the claims; revocation-aware",
            description = "A client learns of its own tokens, and of tokens whose aud shares a value with its introspection_audiences "
                    + "(RFC 7662 section 4); any other token is {\"active\": false}. A service token is answered as its client "
                    + "stands now: only the scopes and audiences it still has, inactive once disabled, deleted or without audience.")
    @APIResponse(responseCode = "200", description = "{\"active\": true, ...claims} or only {\"active\": false}")
    @APIResponse(responseCode = "400", description = "invalid_request")
    @APIResponse(responseCode = "401", description = "invalid_client, with WWW-Authenticate: Basic")
    @APIResponse(responseCode = "429", description = "rate_limited, with Retry-After")
    @APIResponse(responseCode = "503", description = "temporarily_unavailable, with Retry-After")
    public Uni<Response> introspect(@RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED)) String body,
                                    @Context HttpHeaders headers, @Context HttpServerRequest request) {
        return Uni.createFrom().deferred(() -> {
                    FormParameters form = FormParameters.parse(body);
                    return oauth.introspect(client(form, headers), form.single("token"), Callers.of(request).address());
                })
                .map(OAuthResource::noStore);
    }

    @POST
    @Path("/revoke")
    @Operation(summary = "Token revocation (RFC 7009): a refresh token ends its session, an access token is deny-listed until it expires")
    @APIResponse(responseCode = "200", description = "Revoked, or the token was unknown, expired or invalid")
    @APIResponse(responseCode = "400", description = "invalid_request; unauthorized_client: another client's token")
    @APIResponse(responseCode = "401", description = "invalid_client, with WWW-Authenticate: Basic")
    @APIResponse(responseCode = "503", description = "temporarily_unavailable, with Retry-After")
    public Uni<Response> revoke(@RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED)) String body,
                                @Context HttpHeaders headers, @Context HttpServerRequest request) {
        return Uni.createFrom().deferred(() -> {
                    FormParameters form = FormParameters.parse(body);
                    return oauth.revoke(client(form, headers), form.single("token"), Callers.of(request));
                })
                .map(x -> Response.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").build());
    }

    private static PresentedClient client(FormParameters form, HttpHeaders headers) {
        List<String> authorization = headers.getRequestHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.size() > 1) {
            throw OAuthError.invalidRequest("Only one Authorization header is allowed");
        }
        return PresentedClient.parse(authorization == null || authorization.isEmpty() ? null : authorization.get(0),
                form.single("client_id"), form.single("client_secret"),
                form.single("client_assertion_type"), form.single("client_assertion"));
    }

    private static Response noStore(Object body) {
        return Response.ok(body).header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache").build();
    }
}
