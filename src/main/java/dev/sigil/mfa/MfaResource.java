package dev.sigil.mfa;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.token.BearerPrincipal;
import dev.sigil.token.VerifiedToken.UserToken;
import dev.sigil.web.Callers;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The caller's second factor: enrol, confirm, remove, and step up the current session. 404 while MFA is off. */
@Path("/me/mfa")
@Authenticated
@Tag(name = "Second factor")
@SecurityRequirement(name = "bearer")
public class MfaResource {

    /** A code: six TOTP digits, or a recovery code. */
    public record Code(@NotNull @Size(min = 1, max = 32) String code) {
        @Override
        public String toString() {
            return "Code[]";
        }
    }

    /** POST /me/mfa/verify: a code, or a passkey's ceremony and credential.toJSON() (options from POST /me/mfa/passkey/options). */
    public record StepUp(@Size(min = 1, max = 32) String code,
                         @Size(max = 64) String ceremony,
                         @Schema(description = "credential.toJSON() of navigator.credentials.get()") com.fasterxml.jackson.databind.JsonNode credential) {
        @Override
        public String toString() {
            return "StepUp[]";
        }
    }

    /** POST /me/mfa/totp: the re-authentication that adding a factor needs. */
    public record EnrolmentRequest(
            @Schema(description = "The caller's current password") @NotNull @Size(max = 1024) String password,
            @Schema(description = "A one-time ticket from an admin; needed when sigil.mfa.enrolment-ticket-required is on")
            @JsonProperty("enrolment_ticket") @Size(max = 64) String enrolmentTicket) {
        @Override
        public String toString() {
            return "EnrolmentRequest[]"; // never a password or a ticket
        }
    }

    /** DELETE /me/mfa/totp: a current code, or nothing from a session that stepped up within sigil.mfa.step-up-max-age. */
    public record Removal(@Size(max = 32) String code) {
        @Override
        public String toString() {
            return "Removal[]";
        }
    }

    public record EnrolmentAnswer(@JsonProperty("otpauth_uri") String otpauthUri,
                                  @JsonProperty("qr_code") String qrCode,
                                  String secret) {
    }

    public record RecoveryCodesAnswer(@JsonProperty("recovery_codes") List<String> recoveryCodes) {
    }

    private final MfaService mfa;
    private final MfaEnrolment enrolment;
    private final SecurityIdentity identity;
    private final PasskeyStepUp passkeys;

    public MfaResource(MfaService mfa, MfaEnrolment enrolment, SecurityIdentity identity, PasskeyStepUp passkeys) {
        this.mfa = mfa;
        this.enrolment = enrolment;
        this.identity = identity;
        this.passkeys = passkeys;
    }

    @POST
    @Path("/totp")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start TOTP enrolment, re-authenticated by the current password (and an admin's enrolment ticket "
            + "when sigil.mfa.enrolment-ticket-required is on): an otpauth:// URI (SHA-1, 6 digits, 30 s), the same as a PNG QR "
            + "code (data URI) and the base32 secret, with Cache-Control: no-store; confirm with a code to activate it")
    @APIResponse(responseCode = "200", description = "Enrolment started (a new secret; an unconfirmed earlier one is replaced)")
    @APIResponse(responseCode = "400", description = "validation_failed: no password")
    @APIResponse(responseCode = "403", description = "invalid_current_password, or invalid_enrolment_ticket: a ticket is required "
            + "and this one is missing, wrong, used or expired")
    @APIResponse(responseCode = "404", description = "not_found: MFA is not enabled")
    @APIResponse(responseCode = "409", description = "conflict: a second factor is already active")
    @APIResponse(responseCode = "429", description = "rate_limited: the login lockout of this user")
    public Uni<Response> enrol(@Valid @NotNull EnrolmentRequest body, @Context HttpServerRequest request) {
        UserToken caller = caller();
        return enrolment.begin(caller.user(), body.password(), body.enrolmentTicket(), Callers.of(request).address())
                .map(e -> secret(new EnrolmentAnswer(e.otpauthUri(), e.qrCode(), e.secret())));
    }

    /** An answer that carries a secret: never stored by a browser or a proxy. */
    public static Response secret(Object body) {
        return Response.ok(body).header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache").build();
    }

    @POST
    @Path("/totp/confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Activate the enrolment with a current code; answers 10 single-use recovery codes, shown only now")
    @APIResponse(responseCode = "200", description = "Active; {\"recovery_codes\": [\"abcde-fghij\", ...]}, with Cache-Control: no-store")
    @APIResponse(responseCode = "403", description = "mfa_code_rejected: wrong or already used code")
    @APIResponse(responseCode = "409", description = "conflict: no enrolment in progress")
    @APIResponse(responseCode = "429", description = "rate_limited: the login lockout of this user")
    public Uni<Response> confirm(@Valid @NotNull Code body, @Context HttpServerRequest request) {
        UserToken caller = caller();
        return enrolment.confirm(caller.user(), body.code(), Callers.of(request).address()).map(codes -> secret(new RecoveryCodesAnswer(codes)));
    }

    @DELETE
    @Path("/totp")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Remove the second factor, proven by a current code (or recovery code), or by a step-up of this session "
            + "within sigil.mfa.step-up-max-age (send {} with the refreshed token); the password alone is not enough. Every other "
            + "session of the caller is revoked, this one loses otp, and access tokens issued before are refused")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "400", description = "validation_failed")
    @APIResponse(responseCode = "403", description = "mfa_code_rejected, or step_up_required: no code, and no recent step-up of this session")
    @APIResponse(responseCode = "409", description = "conflict: no second factor is active")
    @APIResponse(responseCode = "429", description = "rate_limited: the login lockout of this user")
    public Uni<Response> remove(@Valid @NotNull Removal body, @Context HttpServerRequest request) {
        UserToken caller = caller();
        return mfa.remove(caller.user(), caller.session(), body.code(), caller.secondFactorAt(), Callers.of(request).address())
                .map(x -> Response.noContent().build());
    }

    @POST
    @Path("/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Step-up: a current code (or recovery code) sets this session's amr to [\"pwd\",\"otp\"] and auth_time "
            + "to now; or a passkey ({\"ceremony\", \"credential\"}, options from POST /me/mfa/passkey/options, user verification "
            + "required) adds hwk or swk and user. The next refresh returns an access token that carries them")
    @APIResponse(responseCode = "204", description = "The session is upgraded; refresh for a token that shows it")
    @APIResponse(responseCode = "400", description = "validation_failed: neither a code nor a ceremony with its credential, or both")
    @APIResponse(responseCode = "403", description = "mfa_code_rejected: wrong or already used code, or a passkey that did not verify")
    @APIResponse(responseCode = "409", description = "conflict: no second factor is active")
    @APIResponse(responseCode = "429", description = "rate_limited: the login lockout of this user")
    public Uni<Response> verify(@Valid @NotNull StepUp body, @Context HttpServerRequest request) {
        boolean passkey = body.ceremony() != null && body.credential() != null && body.credential().isObject();
        if (passkey == (body.code() != null)) {
            throw SigilException.validation("give either code, or ceremony and credential");
        }
        if (passkey) {
            return passkeys.stepUp(BearerPrincipal.caller(identity), body.ceremony(), body.credential().toString(), Callers.of(request).address())
                    .map(x -> Response.noContent().build());
        }
        UserToken caller = caller();
        return mfa.stepUp(caller.user(), caller.session(), body.code(), Callers.of(request).address())
                .map(x -> Response.noContent().build());
    }

    private UserToken caller() {
        if (!mfa.enabled()) {
            throw new SigilException(ErrorCode.NOT_FOUND, "MFA is not enabled");
        }
        return BearerPrincipal.caller(identity);
    }
}
