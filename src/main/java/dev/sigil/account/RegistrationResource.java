package dev.sigil.account;

import dev.sigil.recovery.RecoveryMails;
import dev.sigil.user.Profile;
import io.quarkus.logging.Log;
import dev.sigil.web.Callers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Self-registration, switched by {@code sigil.registration.enabled}. */
@Path("/users")
@Tag(name = "Users")
public class RegistrationResource {

    public record RegistrationRequest(String username, String password, String email) {
        @Override
        public String toString() {
            return "RegistrationRequest[username=" + username + "]"; // never the password
        }
    }

    /** Where the admin API serves a user; spelled out because {@code admin} depends on this package, not the reverse. */
    private static final String ADMIN_USERS = "/admin/users";

    private final AccountService accounts;
    private final RecoveryMails mails;

    public RegistrationResource(AccountService accounts, RecoveryMails mails) {
        this.accounts = accounts;
        this.mails = mails;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an account (when self-registration is enabled)",
            description = "The email is stored unverified (email_verified: false) and a verification mail goes to it.")
    @APIResponse(responseCode = "201", description = "Created; Location names the user")
    @APIResponse(responseCode = "400", description = "validation_failed (including a password the policy refuses)")
    @APIResponse(responseCode = "404", description = "Self-registration is disabled")
    @APIResponse(responseCode = "409", description = "conflict: the username is taken (in any letter case)")
    @APIResponse(responseCode = "429", description = "rate_limited (with Retry-After)")
    public Uni<Response> register(@NotNull RegistrationRequest body, @Context HttpServerRequest request) {
        return accounts.register(body.username(), body.password(), body.email(), Callers.of(request).address())
                // The account stands without its mail: a failure to write it is logged, and POST /me/email/verification sends another.
                .call(user -> mails.afterRegistration(user.id()).onFailure().recoverWithItem(e -> {
                    Log.warnf("Verification mail of new user %s not written: %s", user.id(), e.getMessage());
                    return null;
                }))
                .map(user -> Response.created(UriBuilder.fromPath(ADMIN_USERS).path(user.id().toString()).build())
                        .entity(Profile.of(user))
                        .build());
    }
}
