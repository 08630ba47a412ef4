package dev.sigil.passkey;

import dev.sigil.token.BearerPrincipal;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The options of a step-up with a passkey; the answer goes to POST /me/mfa/verify. */
@Path("/me/mfa/passkey")
@Authenticated
@Tag(name = "Second factor")
@SecurityRequirement(name = "bearer")
public class PasskeyStepUpResource {

    private final PasskeyService passkeys;
    private final SecurityIdentity identity;

    public PasskeyStepUpResource(PasskeyService passkeys, SecurityIdentity identity) {
        this.passkeys = passkeys;
        this.identity = identity;
    }

    @POST
    @Path("/options")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Options of a step-up with one of the caller's passkeys (user verification required): {\"ceremony\", "
            + "\"publicKey\": PublicKeyCredentialRequestOptionsJSON}; answer at POST /me/mfa/verify {\"ceremony\", \"credential\"}")
    @APIResponse(responseCode = "200", description = "The options")
    @APIResponse(responseCode = "404", description = "not_found: passkeys are not enabled")
    @APIResponse(responseCode = "409", description = "conflict: the caller has no passkey")
    public Uni<Response> options() {
        passkeys.requireEnabled();
        return passkeys.stepUpOptions(BearerPrincipal.caller(identity).user()).map(PasskeyResource::noStore);
    }
}
