package dev.sigil.admin;

import dev.sigil.account.UserAdminService;
import dev.sigil.account.UserPatch;
import dev.sigil.error.Absent;
import dev.sigil.id.UserId;
import dev.sigil.token.BearerPrincipal;
import io.quarkus.security.identity.SecurityIdentity;
import dev.sigil.user.UserRules;
import dev.sigil.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The admin API over users (bearer, role {@code sigil.admin-role}). 404 for an unknown id throughout,
 * and for an id that is not a user id in canonical form (lowercase 8-4-4-4-12), before anything is read.
 */
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

    /** The messages keep the details the hand-written checks gave ("password is required"). */
    public record PasswordReset(
            @NotNull(message = "is required")
            @Size(max = UserRules.MAX_PASSWORD_INPUT, message = "must be at most " + UserRules.MAX_PASSWORD_INPUT + " characters")
            String password) {
        @Override
        public String toString() {
            return "PasswordReset[]";
        }
    }

    private static final String NO_SUCH_USER = "No user with this id";

    private final UserAdminService admin;
    private final SecurityIdentity identity;

    public AdminUsersResource(UserAdminService admin, SecurityIdentity identity) {
        this.admin = admin;
        this.identity = identity;
    }

    static URI location(UUID id) {
        return UriBuilder.fromResource(AdminUsersResource.class).path(id.toString()).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a user", description = "An email given here is marked verified (email_verified: true).")
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
    @APIResponse(responseCode = "404", description = "not_found: no user with this id, or not a canonical lowercase UUID")
    public Uni<UserView> get(@PathParam("id") UserId id) {
        return admin.get(id.value()).map(Absent.notFound(NO_SUCH_USER));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change email, email_verified, roles, custom claims or enabled; disabling revokes every session and access token",
            description = "Setting an email marks it verified (an admin vouches for it) unless the patch also says "
                    + "\"email_verified\": false; \"email_verified\" alone confirms or un-confirms the current address "
                    + "(400 when there is none). Claim names reserved for standard claims are refused.")
    @APIResponse(responseCode = "200", description = "The updated user; roles and claims reach the next access token; every "
            + "access token issued to the user before the change is refused by Sigil at once")
    @APIResponse(responseCode = "409", description = "conflict: it would leave no enabled admin")
    @APIResponse(responseCode = "503", description = "unavailable: Redis failed after the change committed; the change stands, "
            + "repeat the request to end the user's older tokens")
    @APIResponse(responseCode = "404", description = "not_found: no user with this id, or not a canonical lowercase UUID")
    public Uni<UserView> update(@PathParam("id") UserId id, @NotNull UserPatch body) {
        return admin.update(id.value(), body.changes(), actor()).map(Absent.notFound(NO_SUCH_USER));
    }

    @POST
    @Path("/{id}/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a new password; revokes every session and access token of the user")
    @APIResponse(responseCode = "204", description = "Reset")
    @APIResponse(responseCode = "404", description = "not_found: no user with this id, or not a canonical lowercase UUID")
    public Uni<Response> resetPassword(@PathParam("id") UserId id, @Valid @NotNull PasswordReset body) {
        return admin.resetPassword(id.value(), body.password(), actor()).map(Absent.notFound(NO_SUCH_USER)).map(x -> Response.noContent().build());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a user; revokes every session and access token it had")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "conflict: it is the last enabled admin")
    @APIResponse(responseCode = "404", description = "not_found: no user with this id, or not a canonical lowercase UUID")
    public Uni<Response> delete(@PathParam("id") UserId id) {
        return admin.delete(id.value(), actor()).map(Absent.notFound(NO_SUCH_USER)).map(x -> Response.noContent().build());
    }

    private UUID actor() {
        return BearerPrincipal.caller(identity).user().value();
    }
}
