package bench;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** One endpoint that touches smallrye-jwt, so the extension is really wired in. */
@Path("/hello")
public class Hello {

    @Inject
    JsonWebToken jwt;

    @GET
    @PermitAll
    public String hello() {
        return jwt.getName() == null ? "anonymous" : jwt.getName();
    }
}
