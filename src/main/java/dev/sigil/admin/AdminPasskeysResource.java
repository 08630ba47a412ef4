package dev.sigil.admin;

import dev.sigil.error.Absent;
import dev.sigil.id.UserId;
import dev.sigil.passkey.PasskeyService;
import dev.sigil.token.BearerPrincipal;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/admin/users/{id}/passkeys")
@RolesAllowed("${sigil.admin-role}")
@Tag(name = "Admin")
@SecurityRequirement(name = "bearer")
public class AdminPasskeysResource {

    private final PasskeyService passkeys;
    private final SecurityIdentity identity;

    public AdminPasskeysResource(PasskeyService passkeys, SecurityIdentity identity) {
        this.passkeys = passkeys;
        this.identity = identity;
    }

    @DELETE
    @Operation(summary = "Remove every passkey of a user (a lost or stolen device); audited, and every session and access token of the user ends")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "not_found: no such user with a passkey, passkeys not enabled, or not a canonical lowercase UUID")
    public Uni<Response> removeAll(@PathParam("id") UserId user) {
        passkeys.requireEnabled();
        return passkeys.removeAll(user, BearerPrincipal.caller(identity).user().value())
                .map(Absent.notFound("This user has no passkey")).map(x -> Response.noContent().build());
    }
}
