package dev.sigil.key;

import dev.sigil.config.SigilConfig;
import dev.sigil.web.IfNoneMatch;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JWKS and the discovery document, the service's hottest public endpoints: plain Vert.x routes
 * serving bytes prepared in advance (no REST layer, no per-request serialisation). Cross-cutting
 * handlers (security headers, CORS) still run before them. Described in META-INF/openapi.yaml.
 */
@ApplicationScoped
public class WellKnownRoutes {

    void install(@Observes Router router, KeyRing keys, SigilConfig config,
                 @ConfigProperty(name = "quarkus.http.root-path", defaultValue = "/") String rootPath) throws Exception {
        String base = rootPath.endsWith("/") ? rootPath.substring(0, rootPath.length() - 1) : rootPath;
        String cacheControl = "public, max-age=" + config.keys().jwksMaxAge().toSeconds();
        Buffer discovery = Buffer.buffer(new ObjectMapper().writeValueAsBytes(discovery(config.issuer())));
        Buffer metadata = Buffer.buffer(new ObjectMapper().writeValueAsBytes(authorizationServer(config.issuer())));

        router.route(base + "/.well-known/jwks.json").method(HttpMethod.GET).method(HttpMethod.HEAD).order(-100)
                .handler(ctx -> jwks(ctx, keys.view(), cacheControl));
        router.route(base + "/.well-known/openid-configuration").method(HttpMethod.GET).method(HttpMethod.HEAD).order(-100)
                .handler(ctx -> ok(ctx.response(), cacheControl).end(discovery));
        router.route(base + "/.well-known/oauth-authorization-server").method(HttpMethod.GET).method(HttpMethod.HEAD).order(-100)
                .handler(ctx -> ok(ctx.response(), cacheControl).end(metadata));
        // OPTIONS answers like the REST layer does for its resources (CORS preflights never get this far).
        router.routeWithRegex(HttpMethod.OPTIONS, java.util.regex.Pattern.quote(base + "/.well-known/")
                        + "(jwks\\.json|openid-configuration|oauth-authorization-server)").order(-100)
                .handler(ctx -> ctx.response().setStatusCode(204).putHeader("Allow", "GET, HEAD, OPTIONS").end());
    }

    private static void jwks(RoutingContext ctx, KeyView view, String cacheControl) {
        HttpServerResponse response = ok(ctx.response(), cacheControl).putHeader("ETag", view.etag());
        if (IfNoneMatch.matches(ctx.request().getHeader("If-None-Match"), view.etag())) {
            response.setStatusCode(304).end();
        } else {
            response.end(view.jwksBuffer());
        }
    }

    private static HttpServerResponse ok(HttpServerResponse response, String cacheControl) {
        return response.putHeader("Content-Type", "application/json").putHeader("Cache-Control", cacheControl);
    }

    /**
     * OpenID discovery. {@code response_types_supported} is required there (and by parsers such as
     * Nimbus' OIDCProviderMetadata, under Spring's issuer-uri), but Sigil has no authorization endpoint:
     * an empty list is present and claims no flow ({@code ["token"]} claimed the implicit flow).
     */
    static Map<String, Object> discovery(String issuer) {
        Map<String, Object> d = authorizationServer(issuer);
        d.put("id_token_signing_alg_values_supported", List.of("RS256"));
        d.put("subject_types_supported", List.of("public"));
        d.put("claims_supported", List.of("iss", "sub", "aud", "iat", "exp", "jti", "sid", "upn", "email",
                "email_verified", "groups", "amr", "acr", "auth_time", "uv", "client_id", "scope"));
        return d;
    }

    /** RFC 8414 authorization server metadata: only what Sigil serves. */
    static Map<String, Object> authorizationServer(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        List<String> authMethods = List.of("client_secret_basic", "client_secret_post", "private_key_jwt");
        List<String> assertionAlgs = List.of("RS256", "ES256", "PS256");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("issuer", issuer);
        d.put("jwks_uri", base + "/.well-known/jwks.json");
        d.put("token_endpoint", base + "/oauth2/token");
        d.put("introspection_endpoint", base + "/oauth2/introspect");
        d.put("revocation_endpoint", base + "/oauth2/revoke");
        d.put("grant_types_supported", List.of("client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"));
        d.put("response_types_supported", List.of());
        d.put("token_endpoint_auth_methods_supported", authMethods);
        d.put("token_endpoint_auth_signing_alg_values_supported", assertionAlgs);
        d.put("introspection_endpoint_auth_methods_supported", authMethods);
        d.put("introspection_endpoint_auth_signing_alg_values_supported", assertionAlgs);
        // "none" (RFC 7591): whoever holds a user's token may revoke it without client authentication.
        d.put("revocation_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "none"));
        d.put("revocation_endpoint_auth_signing_alg_values_supported", assertionAlgs);
        // Scopes are per client and free-form; none is defined by Sigil itself.
        d.put("scopes_supported", List.of());
        return d;
    }
}
