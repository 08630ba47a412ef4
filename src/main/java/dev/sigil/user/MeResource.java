package dev.sigil.user;

import dev.sigil.web.ErrorCode;
import dev.sigil.web.SigilException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/me")
@Authenticated
@Tag(name = "Users")
@SecurityRequirement(name = "bearer")
public class MeResource {

    public record Profile(UUID id, String username, String email, List<String> roles, Map<String, Object> claims) {
    }

    private final UserService users;
    private final JsonWebToken jwt;

    public MeResource(UserService users, JsonWebToken jwt) {
        this.users = users;
        this.jwt = jwt;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's profile (revocation-aware)")
    public Uni<Profile> me() {
        return users.profile(UUID.fromString(jwt.getSubject())).map(u -> {
            if (u == null) {
                throw new SigilException(ErrorCode.INVALID_TOKEN, "The access token's user no longer exists");
            }
            return new Profile(u.id(), u.username(), u.email(), u.roles(), u.customClaims());
        });
    }
}
