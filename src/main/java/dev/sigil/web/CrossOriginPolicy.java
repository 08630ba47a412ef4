package dev.sigil.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.config.SigilConfig;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.Problem;
import dev.sigil.id.Origin;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.HashSet;
import java.util.Set;

/**
 * CORS for every path, in place of Quarkus's filter, which has one policy for all paths and answers a
 * foreign origin with a bare 403. Public documents (the well-known metadata and {@code /sigil-web.js})
 * are readable from any origin, never with credentials. Everything else is for Sigil's own origin and
 * the configured {@code sigil.web.allowed-origins}, with credentials; any other origin gets a
 * problem+json 403 before the request reaches a resource. Origins are compared as {@link Origin}s (scheme,
 * host, port; default ports folded); an {@code Origin} with userinfo, a path, query or fragment is no
 * origin and is refused. Requests without {@code Origin} pass untouched.
 * The cookie endpoints still apply {@link CrossSiteGuard} (Referer, Sec-Fetch-Site).
 */
@ApplicationScoped
public class CrossOriginPolicy {

    /** Before the REST layer and the well-known routes (order -100). */
    static final int ORDER = -150;
    static final String API_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";
    static final String API_HEADERS = "Authorization, Content-Type";
    /** What a client on another origin must read: the 503 back-off, the bearer challenge, a created resource. */
    static final String EXPOSED = "Retry-After, WWW-Authenticate, Location";

    void install(@Observes Router router, SigilConfig config, ObjectMapper json,
                 @ConfigProperty(name = "quarkus.http.root-path", defaultValue = "/") String rootPath) throws Exception {
        String base = rootPath.endsWith("/") ? rootPath.substring(0, rootPath.length() - 1) : rootPath;
        Set<Origin> allowed = new HashSet<>();
        config.web().allowedOrigins().ifPresent(list -> list.forEach(o -> allowed.add(Origin.parse(o))));
        Origin issuerOrigin = Origin.ofUrl(config.issuer());
        Buffer refusal = Buffer.buffer(json.writeValueAsBytes(
                Problem.of(ErrorCode.CROSS_SITE_REQUEST, "The request's origin is not allowed to use this endpoint")));
        Policy policy = new Policy(base, allowed, issuerOrigin, refusal);
        router.route().order(ORDER).handler(policy::handle);
    }

    record Policy(String base, Set<Origin> allowed, Origin issuerOrigin, Buffer refusal) {

        void handle(RoutingContext ctx) {
            HttpServerRequest request = ctx.request();
            String origin = request.getHeader("Origin");
            if (origin == null) {
                ctx.next();
                return;
            }
            HttpServerResponse response = ctx.response();
            boolean preflight = request.method() == HttpMethod.OPTIONS && request.getHeader("Access-Control-Request-Method") != null;
            if (isPublic(ctx.normalizedPath())) {
                response.putHeader("Access-Control-Allow-Origin", "*");
                if (preflight) {
                    response.putHeader("Access-Control-Allow-Methods", "GET, HEAD")
                            .putHeader("Access-Control-Allow-Headers", "If-None-Match")
                            .putHeader("Access-Control-Max-Age", "86400").setStatusCode(204).end();
                } else {
                    ctx.next();
                }
                return;
            }
            response.headers().add("Vary", "Origin");
            Origin o = Origin.parse(origin);
            if (o != null && (o.equals(issuerOrigin) || o.equals(ownOrigin(request)))) {
                ctx.next(); // same origin: no CORS headers needed
                return;
            }
            if (o == null || !allowed.contains(o)) {
                response.setStatusCode(403).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Cache-Control", "no-store").end(refusal);
                return;
            }
            response.putHeader("Access-Control-Allow-Origin", origin).putHeader("Access-Control-Allow-Credentials", "true");
            if (preflight) {
                response.putHeader("Access-Control-Allow-Methods", API_METHODS)
                        .putHeader("Access-Control-Allow-Headers", API_HEADERS)
                        .putHeader("Access-Control-Max-Age", "600").setStatusCode(204).end();
            } else {
                response.putHeader("Access-Control-Expose-Headers", EXPOSED);
                ctx.next();
            }
        }

        boolean isPublic(String path) {
            return path.startsWith(base + "/.well-known/") || path.equals(base + "/sigil-web.js");
        }

        /** The origin this request was addressed to, as the browser saw it (Host header and scheme). */
        private static Origin ownOrigin(HttpServerRequest request) {
            HostAndPort authority = request.authority();
            return authority == null ? null
                    : Origin.parse(request.scheme() + "://" + authority.host() + (authority.port() >= 0 ? ":" + authority.port() : ""));
        }
    }
}
