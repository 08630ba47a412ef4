package dev.sigil.web;

import dev.sigil.config.SigilConfig;
import dev.sigil.crypto.Digests;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;

/**
 * The browser client {@code /sigil-web.js} (always), the demo page {@code /demo/} (only with
 * {@code sigil.web.demo.enabled}) and the account pages that mailed links open (unless
 * {@code sigil.recovery.pages-enabled} is off), served from {@code src/main/resources/web} as bytes read once at
 * start-up. The demo gets a CSP that allows exactly its own script, style and calls to Sigil; every
 * other path keeps the API's {@code default-src 'none'}.
 */
@ApplicationScoped
public class BrowserRoutes {

    static final String DEMO_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    static final String JAVASCRIPT = "text/javascript; charset=utf-8";
    static final String HTML = "text/html; charset=utf-8";
    /** Sigil's own pages that mailed links open (sigil.recovery.pages-enabled). */
    public static final String RESET_PAGE = "/account/reset-password";
    public static final String VERIFY_PAGE = "/account/verify-email";
    /**
     * The account pages' CSP: the demo's, with {@code connect-src 'self'} for their one POST. Their links carry a
     * token, so no cache may keep them ({@code no-store}) and no Referer may carry it (the global no-referrer).
     */
    static final String ACCOUNT_CSP = DEMO_CSP;

    void install(@Observes Router router, SigilConfig config,
                 @ConfigProperty(name = "quarkus.http.root-path", defaultValue = "/") String rootPath) throws IOException {
        String base = rootPath.endsWith("/") ? rootPath.substring(0, rootPath.length() - 1) : rootPath;
        // Public and stable: cacheable by anyone, revalidated after five minutes (a Sigil upgrade changes the ETag).
        serve(router, base + "/sigil-web.js", Asset.of("web/sigil-web.js", JAVASCRIPT), "public, max-age=300", null);
        if (config.web().demo().enabled()) {
            // Vert.x matches /demo and /demo/ alike; only the latter resolves the page's relative URLs right.
            router.route(base + "/demo").method(HttpMethod.GET).method(HttpMethod.HEAD).order(-101).handler(ctx -> {
                if (ctx.request().path().endsWith("/")) {
                    ctx.next();
                } else {
                    ctx.redirect(base + "/demo/");
                }
            });
            serve(router, base + "/demo/", Asset.of("web/demo/index.html", HTML), "no-cache", DEMO_CSP);
            serve(router, base + "/demo/demo.css", Asset.of("web/demo/demo.css", "text/css; charset=utf-8"), "no-cache", DEMO_CSP);
            serve(router, base + "/demo/demo.js", Asset.of("web/demo/demo.js", JAVASCRIPT), "no-cache", DEMO_CSP);
        }
        if (config.recovery().pagesEnabled()) {
            // GET and HEAD serve static bytes: opening a link (a mail scanner, a preview) consumes nothing.
            serve(router, base + RESET_PAGE, Asset.of("web/account/reset-password.html", HTML), "no-store", ACCOUNT_CSP);
            serve(router, base + VERIFY_PAGE, Asset.of("web/account/verify-email.html", HTML), "no-store", ACCOUNT_CSP);
            serve(router, base + "/account/account.js", Asset.of("web/account/account.js", JAVASCRIPT), "no-cache", ACCOUNT_CSP);
            serve(router, base + "/account/account.css", Asset.of("web/account/account.css", "text/css; charset=utf-8"), "no-cache",
                    ACCOUNT_CSP);
        }
    }

    private static void serve(Router router, String path, Asset asset, String cacheControl, String csp) {
        router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD).order(-100).handler(ctx -> {
            var response = ctx.response().putHeader("Content-Type", asset.contentType())
                    .putHeader("Cache-Control", cacheControl);
            if (csp != null) {
                response.putHeader("Content-Security-Policy", csp);
            }
            response.putHeader("ETag", asset.etag());
            if (IfNoneMatch.matches(ctx.request().getHeader("If-None-Match"), asset.etag())) {
                response.setStatusCode(304).end();
            } else {
                response.end(asset.bytes());
            }
        });
    }

    record Asset(Buffer bytes, String contentType, String etag) {
        static Asset of(String resource, String contentType) throws IOException {
            try (InputStream in = BrowserRoutes.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("Missing resource " + resource);
                }
                byte[] bytes = in.readAllBytes();
                return new Asset(Buffer.buffer(bytes), contentType, Digests.etag(bytes));
            }
        }
    }
}
