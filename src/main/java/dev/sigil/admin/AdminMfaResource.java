package dev.sigil.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sigil.error.Absent;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.UserId;
import dev.sigil.mfa.MfaResource;
import dev.sigil.mfa.MfaEnrolment;
import dev.sigil.mfa.MfaService;
import dev.sigil.token.BearerPrincipal;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/admin/users/{id}/mfa")
@RolesAllowed("${sigil.admin-role}")
@Tag(name = "Admin")
@SecurityRequirement(name = "bearer")
public class AdminMfaResource {

    private final MfaService mfa;
    private final MfaEnrolment enrolment;
    private final SecurityIdentity identity;

    public AdminMfaResource(MfaService mfa, MfaEnrolment enrolment, SecurityIdentity identity) {
        this.mfa = mfa;
        this.enrolment = enrolment;
        this.identity = identity;
    }

    @DELETE
    @Operation(summary = "Reset a user's second factor (lost device); audited, and every session and access token of the user ends")
    @APIResponse(responseCode = "204", description = "Reset; the user logs in with the password alone and may enrol again")
    @APIResponse(responseCode = "404", description = "not_found: no such user with a second factor, or not a canonical lowercase UUID")
    public Uni<Response> reset(@PathParam("id") UserId user) {
        return mfa.reset(user, actor()).map(Absent.notFound("This user has no second factor")).map(done -> Response.noContent().build());
    }

    /** The answer of POST .../enrolment-ticket: shown once. */
    public record TicketAnswer(@JsonProperty("enrolment_ticket") String enrolmentTicket, @JsonProperty("expires_in") long expiresIn) {
        @Override
        public String toString() {
            return "TicketAnswer[]"; // never the ticket
        }
    }

    @POST
    @Path("/enrolment-ticket")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue a one-time enrolment ticket for the user (with sigil.mfa.enrolment-ticket-required, enrolment needs "
            + "one): shown only in this answer (Cache-Control: no-store), stored hashed, replaces an earlier ticket, lives "
            + "sigil.mfa.enrolment-ticket-lifetime; hand it to the user over a channel you trust")
    @APIResponse(responseCode = "200", description = "{\"enrolment_ticket\": \"...\", \"expires_in\": <seconds>}")
    @APIResponse(responseCode = "404", description = "not_found: no such user, or MFA is not enabled")
    public Uni<Response> ticket(@PathParam("id") UserId user) {
        if (!mfa.enabled()) {
            throw new SigilException(ErrorCode.NOT_FOUND, "MFA is not enabled");
        }
        return enrolment.issueTicket(user, actor()).map(Absent.notFound("No such user"))
                .map(ticket -> MfaResource.secret(new TicketAnswer(ticket, enrolment.ticketLifetime().toSeconds())));
    }

    private java.util.UUID actor() {
        return BearerPrincipal.caller(identity).user().value();
    }
}
