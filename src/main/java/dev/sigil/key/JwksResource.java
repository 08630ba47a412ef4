package dev.sigil.key;

import dev.sigil.config.SigilConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.Map;

/** Public keys and discovery: what other services need to verify Sigil's tokens on their own. */
@Path("/.well-known")
@Tag(name = "Keys")
public class JwksResource {

    private final KeyRing keys;
    private final String cacheControl;
    private final Map<String, Object> discovery;

    public JwksResource(KeyRing keys, SigilConfig config) {
        this.keys = keys;
        this.cacheControl = "public, max-age=" + config.keys().jwksMaxAge().toSeconds();
        String issuer = config.issuer();
        this.discovery = Map.of(
                "issuer", issuer,
                "jwks_uri", stripSlash(issuer) + "/.well-known/jwks.json",
                "id_token_signing_alg_values_supported", new String[] {"RS256"},
                "subject_types_supported", new String[] {"public"},
                "response_types_supported", new String[] {"token"},
                "claims_supported", new String[] {"iss", "sub", "aud", "iat", "exp", "jti", "sid", "upn", "email", "groups"});
    }

    @GET
    @Path("/jwks.json")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "JSON Web Key Set: every public key a still-valid token may name in its kid")
    @APIResponse(responseCode = "200", description = "The key set (public members only), with Cache-Control max-age and a strong ETag",
            content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "jwks",
                    value = "{\"keys\": [{\"kty\": \"RSA\", \"use\": \"sig\", \"alg\": \"RS256\", \"kid\": \"NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs\", \"n\": \"0vx7...\", \"e\": \"AQAB\"}]}")))
    @APIResponse(responseCode = "304", description = "Not modified (If-None-Match matched the ETag)")
    public Response jwks(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        KeyView view = keys.view();
        if (ifNoneMatch != null && matches(ifNoneMatch, view.etag())) {
            return Response.notModified().header(HttpHeaders.ETAG, view.etag())
                    .header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
        }
        return Response.ok(view.jwks(), MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.ETAG, view.etag())
                .header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
    }

    @GET
    @Path("/openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Discovery document: issuer, jwks_uri and signing algorithms")
    public Response discovery() {
        return Response.ok(discovery).header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
    }

    /** RFC 9110 If-None-Match: "*" or a list of entity tags (weak comparison). */
    static boolean matches(String header, String etag) {
        return Arrays.stream(header.split(","))
                .map(String::trim)
                .map(t -> t.startsWith("W/") ? t.substring(2) : t)
                .anyMatch(t -> t.equals("*") || t.equals(etag));
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
