package dev.sigil.passkey;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.error.Absent;
import dev.sigil.id.PasskeyId;
import dev.sigil.token.BearerPrincipal;
import dev.sigil.token.VerifiedToken.UserToken;
import dev.sigil.web.Callers;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/** The caller's passkeys: register, list, rename, delete. 404 while sigil.webauthn.enabled is off. */
@Path("/me/passkeys")
@Authenticated
@Tag(name = "Passkeys")
@SecurityRequirement(name = "bearer")
public class PasskeyResource {

    /** POST /me/passkeys/registration/options: the re-authentication that adding a factor needs. */
    public record OptionsRequest(@Schema(description = "The current password; may be left out by a session that stepped up "
            + "within sigil.mfa.step-up-max-age when the user has a factor") @Size(min = 1, max = 1024) String password) {
        @Override
        public String toString() {
            return "OptionsRequest[]";
        }
    }

    /** POST /me/passkeys/registration: the ceremony and the browser's RegistrationResponseJSON. */
    public record RegistrationRequest(@NotNull @Size(max = 64) String ceremony,
                                      @Schema(description = "credential.toJSON() of navigator.credentials.create()") @NotNull JsonNode credential,
                                      @Size(max = 64) @Pattern(regexp = "[^\\p{Cntrl}]*") String name) {
    }

    /** PATCH /me/passkeys/{id}. */
    public record Rename(@NotBlank @Size(max = 64) @Pattern(regexp = "[^\\p{Cntrl}]*") String name) {
    }

    /**
     * A passkey as listed, never its key. {@code credentialId} (base64url, public: browsers send it at every sign-in)
     * lets a page tell the password manager which credentials the server still knows (WebAuthn Signal API).
     */
    public record PasskeyView(String id, String name, Instant created, Instant lastUsed, boolean backedUp, boolean backupEligible,
                              List<String> transports, String credentialId) {
        static PasskeyView of(StoredPasskey p) {
            return new PasskeyView(p.id().toString(), p.name(), p.createdAt(), p.lastUsedAt(), p.backupState(), p.backupEligible(), p.transports(),
                    WebAuthnCeremonies.b64(p.credentialId()));
        }
    }

    private final PasskeyService passkeys;
    private final SecurityIdentity identity;

    public PasskeyResource(PasskeyService passkeys, SecurityIdentity identity) {
        this.passkeys = passkeys;
        this.identity = identity;
    }

    @POST
    @Path("/registration/options")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start registering a passkey, re-authenticated by the current password (or, for a user with a factor, "
            + "a recent step-up): {\"ceremony\", \"publicKey\": PublicKeyCredentialCreationOptionsJSON} for "
            + "PublicKeyCredential.parseCreationOptionsFromJSON; attestation none, a discoverable credential")
    @APIResponse(responseCode = "200", description = "The options; the ceremony lives sigil.webauthn.challenge-lifetime, once")
    @APIResponse(responseCode = "403", description = "invalid_current_password, or step_up_required: no password and no recent step-up")
    @APIResponse(responseCode = "404", description = "not_found: passkeys are not enabled")
    @APIResponse(responseCode = "429", description = "rate_limited: the login lockout of this user")
    public Uni<Response> options(@Valid @NotNull OptionsRequest body, @Context HttpServerRequest request) {
        UserToken caller = caller();
        return passkeys.registrationOptions(caller, body.password(), Callers.of(request).address()).map(PasskeyResource::noStore);
    }

    @POST
    @Path("/registration")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Finish registering: the ceremony and credential.toJSON(); the passkey is stored (and becomes a factor "
            + "that a password login must be followed by)")
    @APIResponse(responseCode = "201", description = "The passkey, with Location")
    @APIResponse(responseCode = "400", description = "validation_failed: unknown, used, expired or another user's ceremony, or an "
            + "attestation that does not verify (challenge, origin, rp id, user presence, algorithm)")
    @APIResponse(responseCode = "409", description = "conflict: this credential is registered already, or 20 passkeys")
    public Uni<Response> register(@Valid @NotNull RegistrationRequest body) {
        UserToken caller = caller();
        return passkeys.register(caller.user(), body.ceremony(), body.credential().toString(), body.name())
                .map(p -> Response.created(URI.create("/me/passkeys/" + p.id())).entity(PasskeyView.of(p)).build());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's passkeys: id, name, created, lastUsed, backedUp (synced to a cloud account), backupEligible")
    public Uni<List<PasskeyView>> list() {
        return passkeys.list(caller().user()).map(all -> all.stream().map(PasskeyView::of).toList());
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rename one of the caller's passkeys")
    @APIResponse(responseCode = "204", description = "Renamed")
    @APIResponse(responseCode = "404", description = "not_found: no passkey of the caller with this id")
    public Uni<Response> rename(@PathParam("id") PasskeyId id, @Valid @NotNull Rename body) {
        return passkeys.rename(caller().user(), id.value(), body.name()).map(Absent.notFound("You have no passkey with this id"))
                .map(x -> Response.noContent().build());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete one of the caller's passkeys; needs a step-up of this session within sigil.mfa.step-up-max-age. "
            + "Every other session of the caller ends; this one keeps the password alone")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", description = "step_up_required")
    @APIResponse(responseCode = "404", description = "not_found: no passkey of the caller with this id")
    public Uni<Response> delete(@PathParam("id") PasskeyId id) {
        return passkeys.delete(caller(), id.value()).map(Absent.notFound("You have no passkey with this id"))
                .map(x -> Response.noContent().build());
    }

    private UserToken caller() {
        passkeys.requireEnabled();
        return BearerPrincipal.caller(identity);
    }

    static Response noStore(Object body) {
        return Response.ok(body).header("Cache-Control", "no-store").build();
    }
}
