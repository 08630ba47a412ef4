package dev.sigil.login;

import dev.sigil.error.Problem;
import dev.sigil.error.SigilException;
import dev.sigil.mfa.MfaRedis;
import dev.sigil.session.TokenResponses;
import dev.sigil.web.Callers;
import dev.sigil.web.CrossSiteGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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

@Path("/login")
@Tag(name = "Sessions")
public class LoginResource {

    private final LoginService login;
    private final TokenResponses responses;
    private final CrossSiteGuard crossSite;

    public LoginResource(LoginService login, TokenResponses responses, CrossSiteGuard crossSite) {
        this.login = login;
        this.responses = responses;
        this.crossSite = crossSite;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Log in: an access token in the body, the refresh token in an HttpOnly cookie")
    @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "login",
            value = "{\"username\": \"alice\", \"password\": \"correct horse battery staple\"}")))
    @APIResponse(responseCode = "200", description = "Logged in; Set-Cookie: __Secure-refresh_token=...; Path=/refresh-token; HttpOnly; Secure; SameSite=Strict",
            content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "tokens",
                    value = "{\"access_token\": \"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6Ii4uLiJ9...\", \"token_type\": \"Bearer\", \"expires_in\": 900}")))
    @APIResponse(responseCode = "400", description = "validation_failed")
    @APIResponse(responseCode = "401", description = "invalid_credentials (unknown user, wrong password, disabled: all alike); "
            + "mfa_required after the right password of a user with a second factor: the body's mfa_token (5 minutes, "
            + "5 codes) continues at POST /login/mfa")
    @APIResponse(responseCode = "403", description = "cross_site_request")
    @APIResponse(responseCode = "415", description = "unsupported_media_type")
    @APIResponse(responseCode = "429", description = "rate_limited (with Retry-After): too many failures or attempts")
    @APIResponse(responseCode = "503", description = "unavailable (with Retry-After): a dependency is down, or the account "
            + "changed twice while signing in (Retry-After: 1). At the per-user session cap the least recently used session ends")
    public Uni<Response> login(@Valid @NotNull LoginRequest body, @Context HttpHeaders headers, @Context HttpServerRequest request) {
        crossSite.check(headers);
        return login.login(body.username(), body.password(), Callers.of(request)).map(outcome -> {
            if (outcome instanceof LoginOutcome.MfaRequired m) {
                return Response.status(401).type(Problem.MEDIA_TYPE).header("Cache-Control", "no-store")
                        .entity(MfaRequiredProblem.of(m, MfaRedis.TOKEN_LIFETIME.toSeconds())).build();
            }
            return responses.ok(((LoginOutcome.Session) outcome).grant());
        });
    }

    @POST
    @Path("/mfa")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Complete an enrolled user's login with the mfa_token and a TOTP code (or a recovery code): tokens as for /login")
    @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "code",
            value = "{\"mfa_token\": \"q3J0...\", \"code\": \"123456\"}")))
    @APIResponse(responseCode = "200", description = "Logged in; the access token's amr is [\"pwd\",\"otp\"] and acr aal2")
    @APIResponse(responseCode = "400", description = "validation_failed")
    @APIResponse(responseCode = "401", description = "invalid_mfa_code (wrong, or a step already used) or invalid_mfa_token "
            + "(unknown, expired after 5 minutes, used, or after 5 codes: log in again)")
    @APIResponse(responseCode = "403", description = "cross_site_request")
    @APIResponse(responseCode = "429", description = "rate_limited (with Retry-After): wrong codes count like wrong passwords")
    @APIResponse(responseCode = "503", description = "unavailable (with Retry-After)")
    public Uni<Response> mfa(@Valid @NotNull MfaLoginRequest body, @Context HttpHeaders headers, @Context HttpServerRequest request) {
        crossSite.check(headers);
        Boolean passkey = body.passkey();
        if (passkey == null) {
            throw SigilException.validation("give either code, or ceremony and credential");
        }
        if (passkey) {
            return login.completeWithPasskey(body.mfaToken(), body.ceremony(), body.credential().toString(), Callers.of(request))
                    .map(responses::ok);
        }
        return login.completeWithCode(body.mfaToken(), body.code(), Callers.of(request)).map(responses::ok);
    }

    @POST
    @Path("/mfa/passkey/options")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Options of a passkey as the second factor of a pending login: {\"ceremony\", \"publicKey\": "
            + "PublicKeyCredentialRequestOptionsJSON} naming the user's passkeys; answer at POST /login/mfa {\"mfa_token\", "
            + "\"ceremony\", \"credential\"}. Uses none of the mfa_token's attempts")
    @APIResponse(responseCode = "200", description = "The options")
    @APIResponse(responseCode = "401", description = "invalid_mfa_token")
    @APIResponse(responseCode = "409", description = "conflict: the user has no passkey")
    @APIResponse(responseCode = "429", description = "rate_limited (with Retry-After): the address's login rate")
    public Uni<Response> mfaPasskeyOptions(@Valid @NotNull PasskeyLoginRequest.SecondFactorOptions body, @Context HttpHeaders headers,
                                           @Context HttpServerRequest request) {
        crossSite.check(headers);
        return login.secondFactorPasskeyOptions(body.mfaToken(), Callers.of(request).address()).map(LoginResource::noStore);
    }

    @POST
    @Path("/passkey/options")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Options of a passwordless sign-in: {\"ceremony\", \"publicKey\": PublicKeyCredentialRequestOptionsJSON} "
            + "for any discoverable credential (conditional UI), user verification required. A username binds the ceremony to "
            + "that user but changes nothing in the options (they never tell whether an account exists)")
    @APIResponse(responseCode = "200", description = "The options; the ceremony lives sigil.webauthn.challenge-lifetime, once")
    @APIResponse(responseCode = "404", description = "not_found: passkeys are not enabled")
    @APIResponse(responseCode = "429", description = "rate_limited (with Retry-After): counted like login attempts of the address")
    public Uni<Response> passkeyOptions(@Valid @NotNull PasskeyLoginRequest.Options body, @Context HttpHeaders headers,
                                        @Context HttpServerRequest request) {
        crossSite.check(headers);
        return login.passkeyOptions(body.username(), Callers.of(request).address()).map(LoginResource::noStore);
    }

    @POST
    @Path("/passkey")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Passwordless sign-in: the ceremony and credential.toJSON(); the same answer and cookie as /login. amr "
            + "[\"hwk\",\"user\"] or [\"swk\",\"user\"], acr aal2")
    @APIResponse(responseCode = "200", description = "Signed in; Set-Cookie as for /login")
    @APIResponse(responseCode = "400", description = "validation_failed")
    @APIResponse(responseCode = "401", description = "invalid_credentials, whatever failed (ceremony, credential, signature, "
            + "user verification, counter, disabled user)")
    @APIResponse(responseCode = "429", description = "rate_limited (with Retry-After)")
    public Uni<Response> passkey(@Valid @NotNull PasskeyLoginRequest.Answer body, @Context HttpHeaders headers,
                                 @Context HttpServerRequest request) {
        crossSite.check(headers);
        return login.signInWithPasskey(body.ceremony(), body.credential().toString(), Callers.of(request)).map(responses::ok);
    }

    private static Response noStore(Object body) {
        return Response.ok(body).header("Cache-Control", "no-store").build();
    }
}
