package dev.sigil.web;

import dev.sigil.config.SigilConfig;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-site request defence for endpoints a browser authenticates with a cookie (and for login,
 * against login CSRF). SameSite alone is not enough: a present {@code Origin} (or, without it,
 * {@code Referer}) must be an allowed origin or Sigil's own, and {@code Sec-Fetch-Site: cross-site}
 * is refused. Requests without any of these headers (non-browser clients) pass.
 */
@ApplicationScoped
public class CrossSiteGuard {

    private final Set<String> allowed = new HashSet<>();

    public CrossSiteGuard(SigilConfig config) {
        config.web().allowedOrigins().ifPresent(list -> list.forEach(o -> allowed.add(normalise(o))));
        String own = originOf(config.issuer());
        if (own != null) {
            allowed.add(own);
        }
    }

    public void check(HttpHeaders headers) {
        String fetchSite = headers.getHeaderString("Sec-Fetch-Site");
        if (fetchSite != null && fetchSite.equalsIgnoreCase("cross-site")) {
            throw refused();
        }
        String origin = headers.getHeaderString("Origin");
        if (origin != null) {
            if (!allowed.contains(normalise(origin))) {
                throw refused();
            }
            return;
        }
        String referer = headers.getHeaderString("Referer");
        if (referer != null) {
            String refererOrigin = originOf(referer);
            if (refererOrigin == null || !allowed.contains(refererOrigin)) {
                throw refused();
            }
        }
    }

    private static SigilException refused() {
        return new SigilException(ErrorCode.CROSS_SITE_REQUEST, "The request's origin is not allowed to use this endpoint");
    }

    private static String normalise(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    /** scheme://host[:port] of a URL, default ports dropped; null if it has none. */
    static String originOf(String url) {
        try {
            URI u = URI.create(url.trim());
            if (u.getScheme() == null || u.getHost() == null) {
                return null;
            }
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            int port = u.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
