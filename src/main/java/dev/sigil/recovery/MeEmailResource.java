package dev.sigil.recovery;

import dev.sigil.token.BearerPrincipal;
import dev.sigil.web.Callers;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's email address: a verification mail, and a change confirmed by the password. */
@Path("/me/email")
@Authenticated
@Tag(name = "Users")
@SecurityRequirement(name = "bearer")
public class MeEmailResource {

    /** PUT /me/email body. */
    public record EmailChange(@NotNull @Size(max = 254) String email, @NotNull @Size(max = 1024) String password) {
        @Override
        public String toString() {
            return "EmailChange[]"; // never the password
        }
    }

    private final RecoveryMails mails;
    private final EmailService emails;
    private final SecurityIdentity identity;

    public MeEmailResource(RecoveryMails mails, EmailService emails, SecurityIdentity identity) {
        this.mails = mails;
        this.emails = emails;
        this.identity = identity;
    }

    @POST
    @Path("/verification")
    @Operation(summary = "Send a verification mail to the caller's current address")
    @APIResponse(responseCode = "202", description = "Accepted (at most a few mails an hour per account; beyond, nothing is sent)")
    @APIResponse(responseCode = "400", description = "validation_failed: the account has no address")
    @APIResponse(responseCode = "429", description = "rate_limited (with Retry-After): too many requests from this client address")
    public Uni<Response> requestVerification(@Context HttpServerRequest request) {
        return mails.requestVerification(BearerPrincipal.caller(identity).user(), Callers.of(request).address())
                .map(x -> Response.accepted().build());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the caller's address: it takes effect once the new address is verified; the old one is told")
    @APIResponse(responseCode = "202", description = "A verification mail goes to the new address, a notice to the old one")
    @APIResponse(responseCode = "400", description = "validation_failed")
    @APIResponse(responseCode = "403", description = "invalid_current_password")
    @APIResponse(responseCode = "429", description = "rate_limited (with Retry-After): the login lockout of the caller's username")
    public Uni<Response> change(@Valid @NotNull EmailChange body, @Context HttpServerRequest request) {
        return emails.requestChange(BearerPrincipal.caller(identity).user(), body.email(), body.password(), Callers.of(request).address())
                .map(x -> Response.accepted().build());
    }
}
