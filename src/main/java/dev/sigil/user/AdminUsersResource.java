package dev.sigil.user;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The admin API over users (bearer, role {@code sigil.admin-role}). 404 for an unknown id throughout. */
@Path("/admin/users")
@RolesAllowed("${sigil.admin-role}")
@Tag(name = "Admin")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class AdminUsersResource {

    public record NewUser(String username, String password, String email, List<String> roles,
                          Map<String, Object> claims, Boolean enabled) {
        @Override
        public String toString() {
            return "NewUser[username=" + username + "]"; // never the password
        }
    }

    public record PasswordReset(String password) {
        @Override
        public String toString() {
            return "PasswordReset[]";
        }
    }

    private final UserAdminService admin;
    private final JsonWebToken jwt;

    public AdminUsersResource(UserAdminService admin, JsonWebToken jwt) {
        this.admin = admin;
        this.jwt = jwt;
    }

    static URI location(UUID id) {
        return UriBuilder.fromResource(AdminUsersResource.class).path(id.toString()).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a user")
    @APIResponse(responseCode = "201", description = "Created; Location names the user")
    @APIResponse(responseCode = "400", description = "validation_failed")
    @APIResponse(responseCode = "409", description = "conflict: the username is taken (in any letter case)")
    public Uni<Response> create(@NotNull NewUser body) {
        return admin.create(body.username(), body.password(), body.email(), body.roles(), body.claims(), body.enabled(), actor())
                .map(user -> Response.created(location(user.id())).entity(user).build());
    }

    @GET
    @Operation(summary = "Users by username, a page at a time; 'username' filters by case-insensitive prefix")
    public Uni<UserView.Page> list(@QueryParam("username") String username,
                                   @QueryParam("page") @DefaultValue("0") int page,
                                   @QueryParam("size") @DefaultValue("20") int size) {
        return admin.list(username, page, size);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One user")
    public Uni<UserView> get(@PathParam("id") UUID id) {
        return admin.get(id);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change email, roles, custom claims or enabled; every access token issued to the user before the change "
            + "is refused by Sigil at once; disabling also revokes every session")
    @APIResponse(responseCode = "200", description = "The updated user; roles and claims reach the next access token")
    @APIResponse(responseCode = "409", description = "conflict: it would leave no enabled admin")
    @APIResponse(responseCode = "503", description = "unavailable: Redis failed after the change committed; the change stands, "
            + "repeat the request to end the user's older tokens")
    public Uni<UserView> update(@PathParam("id") UUID id, @NotNull UserPatch body) {
        return admin.update(id, body.changes(), actor());
    }

    @POST
    @Path("/{id}/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a new password; revokes every session and access token of the user")
    @APIResponse(responseCode = "204", description = "Reset")
    public Uni<Response> resetPassword(@PathParam("id") UUID id, @NotNull PasswordReset body) {
        return admin.resetPassword(id, body.password(), actor()).map(x -> Response.noContent().build());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a user; revokes every session and access token it had")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "conflict: it is the last enabled admin")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return admin.delete(id, actor()).map(x -> Response.noContent().build());
    }

    private UUID actor() {
        return UUID.fromString(jwt.getSubject());
    }
}
