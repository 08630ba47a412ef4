package dev.sigil.web;

import dev.sigil.config.SigilConfig;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import dev.sigil.id.Origin;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

import java.util.HashSet;
import java.util.Set;

/**
 * Cross-site request defence for endpoints a browser authenticates with a cookie (and for login,
 * against login CSRF). SameSite alone is not enough: a present {@code Origin} (or, without it,
 * {@code Referer}) must be an allowed origin or Sigil's own, and {@code Sec-Fetch-Site: cross-site}
 * is refused. Origins compare as {@link Origin}s, exactly as {@link CrossOriginPolicy} compares them.
 * Requests without any of these headers (non-browser clients) pass.
 */
@ApplicationScoped
public class CrossSiteGuard {

    private final Set<Origin> allowed = new HashSet<>();

    public CrossSiteGuard(SigilConfig config) {
        config.web().allowedOrigins().ifPresent(list -> list.forEach(o -> allowed.add(Origin.parse(o))));
        Origin own = Origin.ofUrl(config.issuer());
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
            Origin o = Origin.parse(origin);
            if (o == null || !allowed.contains(o)) {
                throw refused();
            }
            return;
        }
        String referer = headers.getHeaderString("Referer");
        if (referer != null) {
            Origin refererOrigin = Origin.ofUrl(referer);
            if (refererOrigin == null || !allowed.contains(refererOrigin)) {
                throw refused();
            }
        }
    }

    private static SigilException refused() {
        return new SigilException(ErrorCode.CROSS_SITE_REQUEST, "The request's origin is not allowed to use this endpoint");
    }
}
