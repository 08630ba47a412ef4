package dev.sigil.session;

import dev.sigil.error.Absent;
import dev.sigil.id.SessionId;
import dev.sigil.token.BearerPrincipal;
import dev.sigil.token.VerifiedToken.UserToken;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/** The caller's own sessions (bearer). */
@Path("/sessions")
@Authenticated
@Tag(name = "Sessions")
@SecurityRequirement(name = "bearer")
public class SessionsResource {

    public record SessionView(String id, Instant created, Instant lastUsed, String clientAddress, String userAgent, boolean current) {
    }

    private final SessionService sessions;
    private final SecurityIdentity identity;

    public SessionsResource(SessionService sessions, SecurityIdentity identity) {
        this.sessions = sessions;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's live sessions; 'current' marks the one this token belongs to")
    public Uni<List<SessionView>> list() {
        UserToken caller = BearerPrincipal.caller(identity);
        return sessions.list(caller.user()).map(list -> list.stream()
                .map(s -> new SessionView(s.id().value(), s.created(), s.lastUsed(), s.clientAddress(), s.userAgent(),
                        s.id().equals(caller.session())))
                .toList());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke one of the caller's sessions (404 if the caller has no such session)")
    @APIResponse(responseCode = "204", description = "Revoked: its refresh token and access tokens stop working")
    @APIResponse(responseCode = "404", description = "not_found: the caller has no session with this id, "
            + "or the id is not a session id (22 characters of unpadded base64url); nothing is changed")
    public Uni<Response> revoke(@PathParam("id") SessionId sid) {
        // An id in any other form is 404 before this runs (SessionId.fromString): it cannot name a session or reach Redis.
        return sessions.revoke(BearerPrincipal.caller(identity).user(), sid).map(Absent.notFound("You have no session with this id"))
                .map(existed -> Response.noContent().build());
    }

    @DELETE
    @Operation(summary = "Log out everywhere: every session and every access token issued so far")
    @APIResponse(responseCode = "204", description = "Every session revoked")
    public Uni<Response> revokeAll() {
        return sessions.revokeEverywhere(BearerPrincipal.caller(identity).user()).map(n -> Response.noContent().build());
    }

}
