package dev.sigil.account;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.token.BearerPrincipal;
import dev.sigil.token.VerifiedToken.UserToken;
import dev.sigil.user.Profile;
import dev.sigil.user.UserService;
import dev.sigil.web.Callers;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/me")
@Authenticated
@Tag(name = "Users")
@SecurityRequirement(name = "bearer")
public class MeResource {

    /** PUT /me/password body. */
    public record PasswordChange(@JsonProperty("current_password") String currentPassword,
                                 @JsonProperty("new_password") String newPassword) {
        @Override
        public String toString() {
            return "PasswordChange[]"; // never a password
        }
    }

    private final UserService users;
    private final AccountService accounts;
    private final SecurityIdentity identity;

    public MeResource(UserService users, AccountService accounts, SecurityIdentity identity) {
        this.users = users;
        this.accounts = accounts;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's profile (revocation-aware)")
    public Uni<Profile> me() {
        return users.profile(BearerPrincipal.caller(identity).user().value()).map(u -> {
            if (u == null) {
                throw new SigilException(ErrorCode.INVALID_TOKEN, "The access token's user no longer exists");
            }
            return Profile.of(u);
        });
    }

    @PUT
    @Path("/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the caller's password; every other session of the caller is revoked")
    @APIResponse(responseCode = "204", description = "Changed; this session keeps working")
    @APIResponse(responseCode = "400", description = "validation_failed (including a new password the policy refuses)")
    @APIResponse(responseCode = "403", description = "invalid_current_password")
    @APIResponse(responseCode = "409", description = "conflict: the password changed concurrently")
    @APIResponse(responseCode = "429", description = "rate_limited (with Retry-After): too many wrong current passwords "
            + "or failed logins of this user from this address (the login lockout)")
    public Uni<Response> changePassword(@Valid @NotNull PasswordChange body, @Context HttpServerRequest request) {
        UserToken caller = BearerPrincipal.caller(identity);
        return accounts.changePassword(caller.user().value(), caller.session(), body.currentPassword(), body.newPassword(),
                        Callers.of(request).address())
                .map(x -> Response.noContent().build());
    }
}
