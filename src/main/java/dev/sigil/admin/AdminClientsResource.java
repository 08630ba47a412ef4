package dev.sigil.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sigil.error.Absent;
import dev.sigil.client.ClientAdminService;
import dev.sigil.client.ClientDirectory;
import dev.sigil.client.ClientView;
import dev.sigil.client.ExchangePolicy;
import dev.sigil.id.ClientId;
import dev.sigil.token.BearerPrincipal;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The admin API over OAuth clients (bearer, role {@code sigil.admin-role}). A malformed or unknown id is 404 and touches nothing. */
@Path("/admin/clients")
@RolesAllowed("${sigil.admin-role}")
@Tag(name = "Admin")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class AdminClientsResource {

    public record NewClientBody(@JsonProperty("client_id") String clientId, List<String> scopes,
                                @JsonProperty("default_scopes") List<String> defaultScopes, List<String> audience,
                                @JsonProperty("introspection_audiences") List<String> introspectionAudiences,
                                @JsonProperty("token_lifetime") Long tokenLifetime, Boolean enabled,
                                Map<String, Object> jwks, @JsonProperty("jwks_uri") String jwksUri,
                                @JsonProperty("token_exchange") ExchangePolicy tokenExchange) {
    }

    public record PatchBody(List<String> scopes, @JsonProperty("default_scopes") List<String> defaultScopes,
                            List<String> audience, @JsonProperty("introspection_audiences") List<String> introspectionAudiences,
                            @JsonProperty("token_lifetime") Long tokenLifetime, Boolean enabled,
                            @JsonProperty("token_exchange") ExchangePolicy tokenExchange) {
    }

    public record RotateBody(@JsonProperty("overlap_seconds") Long overlapSeconds) {
    }

    public record KeysBody(Map<String, Object> jwks, @JsonProperty("jwks_uri") String jwksUri) {
    }

    private static final String NO_SUCH_CLIENT = "No client with this id";

    private final ClientAdminService admin;
    private final SecurityIdentity identity;

    public AdminClientsResource(ClientAdminService admin, SecurityIdentity identity) {
        this.admin = admin;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a client; without jwks/jwks_uri it gets a client_secret, shown only in this answer",
            description = "audience (1 to 50 APIs the client's tokens are for, never sigil.audience) is required; its first entry is "
                    + "the default. introspection_audiences: the audiences whose tokens the client may introspect (default none: "
                    + "only its own tokens). token_exchange: {subjects: [user, client], scopes: [...]}, what it may exchange "
                    + "(RFC 8693) and the scopes it may pass on; default none: exchange off.")
    @APIResponse(responseCode = "201", description = "Created; Location names the client")
    @APIResponse(responseCode = "400", description = "validation_failed: e.g. no audience, or the user audience")
    @APIResponse(responseCode = "409", description = "conflict: the client_id is taken")
    public Uni<Response> create(@NotNull NewClientBody b) {
        return admin.create(new ClientAdminService.NewClient(b.clientId(), b.scopes(), b.defaultScopes(), b.audience(),
                        b.introspectionAudiences(), b.tokenLifetime(), b.enabled(), b.jwks(), b.jwksUri(), b.tokenExchange()), actor())
                .map(v -> Response.created(UriBuilder.fromResource(AdminClientsResource.class).path(v.clientId()).build())
                        .header("Cache-Control", "no-store").entity(v).build());
    }

    @GET
    @Operation(summary = "Clients by id, a page at a time")
    public Uni<ClientView.Page> list(@QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("20") int size) {
        return admin.list(page, size);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One client (never its secret)")
    @APIResponse(responseCode = "404", description = "not_found")
    public Uni<ClientView> get(@PathParam("id") ClientId id) {
        return admin.get(id).map(Absent.notFound(NO_SUCH_CLIENT));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change scopes, default scopes, audience, introspection audiences, token lifetime, token_exchange or enabled; "
            + "disabling revokes the client's live tokens",
            description = "Taking a scope or an audience away reaches the client's live tokens at once on Sigil's own checks "
                    + "(introspection answers the remaining scopes, and inactive for a token whose audience was removed).")
    @APIResponse(responseCode = "400", description = "validation_failed")
    @APIResponse(responseCode = "404", description = "not_found")
    public Uni<ClientView> update(@PathParam("id") ClientId id, @NotNull PatchBody b) {
        return admin.update(id, new ClientDirectory.Changes(b.scopes(), b.defaultScopes(), b.audience(),
                b.introspectionAudiences(), b.tokenLifetime(), b.enabled(), b.tokenExchange()), actor()).map(Absent.notFound(NO_SUCH_CLIENT));
    }

    @POST
    @Path("/{id}/secret")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rotate the secret: the new one is shown once; the previous one works until previous_secret_valid_until")
    @APIResponse(responseCode = "404", description = "not_found")
    @APIResponse(responseCode = "409", description = "conflict: the client authenticates with private_key_jwt and has no secret")
    public Uni<Response> rotateSecret(@PathParam("id") ClientId id, RotateBody b) {
        return admin.rotateSecret(id, b == null ? null : b.overlapSeconds(), actor())
                .map(Absent.notFound(NO_SUCH_CLIENT)).map(v -> Response.ok(v).header("Cache-Control", "no-store").build());
    }

    @PUT
    @Path("/{id}/keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register or replace the client's public keys for private_key_jwt: a JWK set or a JWKS URL. "
            + "The client's secret (and a previous one in its overlap) stops working: one client, one method")
    @APIResponse(responseCode = "400", description = "validation_failed: not a JWK set of RSA 2048-8192 bit keys with e = 65537 "
            + "or EC P-256 keys with the point on the curve, public keys only; or not an https URL")
    @APIResponse(responseCode = "404", description = "not_found")
    public Uni<ClientView> setKeys(@PathParam("id") ClientId id, @NotNull KeysBody b) {
        return admin.setKeys(id, b.jwks(), b.jwksUri(), actor()).map(Absent.notFound(NO_SUCH_CLIENT));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a client; its live tokens are refused at once by Sigil's own checks")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "not_found")
    public Uni<Response> delete(@PathParam("id") ClientId id) {
        return admin.delete(id, actor()).map(Absent.notFound(NO_SUCH_CLIENT)).map(deleted -> Response.noContent().build());
    }

    private UUID actor() {
        return BearerPrincipal.caller(identity).user().value();
    }
}
