package dev.sigil.recovery;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sigil.web.Callers;
import dev.sigil.web.CrossSiteGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Password reset and email verification by mailed links (docs/account-recovery.md). No bearer token. */
@Path("/")
@Tag(name = "Account recovery")
public class RecoveryResource {

    /** POST /password-reset body. */
    public record ResetRequest(@NotNull @Size(max = 254) String email) {
        @Override
        public String toString() {
            return "ResetRequest[]"; // never the address
        }
    }

    /** POST /password-reset/confirm body. */
    public record ResetConfirm(@NotNull @Size(max = 64) String token,
                               @JsonProperty("new_password") @NotNull @Size(max = 1024) String newPassword,
                               @Size(max = 64) String code) {
        @Override
        public String toString() {
            return "ResetConfirm[]"; // never the token, password or code
        }
    }

    /** POST /email/verify body. */
    public record VerifyRequest(@NotNull @Size(max = 64) String token) {
        @Override
        public String toString() {
            return "VerifyRequest[]";
        }
    }

    private final RecoveryMails mails;
    private final PasswordResetService resets;
    private final EmailService emails;
    private final CrossSiteGuard crossSite;

    public RecoveryResource(RecoveryMails mails, PasswordResetService resets, EmailService emails, CrossSiteGuard crossSite) {
        this.mails = mails;
        this.resets = resets;
        this.emails = emails;
        this.crossSite = crossSite;
    }

    @POST
    @Path("password-reset")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ask for a password-reset mail; the same answer whether or not an account has the address")
    @APIResponse(responseCode = "202", description = "Accepted: an account with this address gets a mail (at most a few an hour)")
    @APIResponse(responseCode = "400", description = "validation_failed: not an email address")
    @APIResponse(responseCode = "429", description = "rate_limited (with Retry-After): too many requests from this client address")
    @APIResponse(responseCode = "503", description = "unavailable (with Retry-After)")
    public Uni<Response> requestReset(@Valid @NotNull ResetRequest body, @Context HttpHeaders headers, @Context HttpServerRequest request) {
        crossSite.check(headers);
        return mails.requestReset(body.email(), Callers.of(request).address()).map(x -> Response.accepted().build());
    }

    @POST
    @Path("password-reset/confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a new password with a reset token; every session and access token of the user ends")
    @APIResponse(responseCode = "204", description = "The password is set; the username's lockout has ended")
    @APIResponse(responseCode = "400", description = "invalid_reset_token (unknown, used or expired: one code for all three); "
            + "validation_failed (including a password the policy refuses)")
    @APIResponse(responseCode = "403", description = "mfa_code_required: the user has a second factor and code is missing or wrong "
            + "(counted like a wrong code at login)")
    @APIResponse(responseCode = "429", description = "rate_limited (with Retry-After): the second factor's lockout")
    @APIResponse(responseCode = "503", description = "unavailable (with Retry-After)")
    public Uni<Response> confirmReset(@Valid @NotNull ResetConfirm body, @Context HttpHeaders headers, @Context HttpServerRequest request) {
        crossSite.check(headers);
        return resets.confirm(body.token(), body.newPassword(), body.code(), Callers.of(request).address())
                .map(x -> Response.noContent().build());
    }

    @POST
    @Path("email/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Confirm an address with a verification token; the next access token carries email_verified: true")
    @APIResponse(responseCode = "204", description = "Verified (for an email change: the new address is now the user's)")
    @APIResponse(responseCode = "400", description = "invalid_verification_token (unknown, used or expired)")
    @APIResponse(responseCode = "503", description = "unavailable (with Retry-After)")
    public Uni<Response> verify(@Valid @NotNull VerifyRequest body, @Context HttpHeaders headers) {
        crossSite.check(headers);
        return emails.verify(body.token()).map(x -> Response.noContent().build());
    }
}
