package dev.sigil.id;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A web origin (RFC 6454): http or https, a lower-cased host and the port, the scheme's default port
 * when none is written, so that {@code https://app.example.com:443} and {@code https://app.example.com}
 * are equal. The one parser for the {@code Origin} header, {@code sigil.web.allowed-origins}, the issuer
 * and {@code Referer}: CORS, the cross-site guard and the configuration check cannot disagree.
 */
public record Origin(String scheme, String host, int port) {

    /**
     * An origin as a browser serialises it: {@code scheme://host[:port]}, nothing else (a lone trailing
     * '/' is tolerated for configured values). Null for anything else: userinfo, a path, query or
     * fragment, a wildcard, "null", another scheme, a port out of range (input is hostile: no exception).
     */
    public static Origin parse(String value) {
        URI u = uri(value);
        return u == null || u.getRawQuery() != null || u.getRawFragment() != null
                || !(u.getRawPath().isEmpty() || u.getRawPath().equals("/")) ? null : of(u);
    }

    /** The origin of an absolute http(s) URL with any path (the issuer, a Referer); null without one, or with userinfo. */
    public static Origin ofUrl(String url) {
        URI u = uri(url);
        return u == null ? null : of(u);
    }

    private static URI uri(String value) {
        if (value == null) {
            return null;
        }
        try {
            URI u = new URI(value.trim());
            return u.isOpaque() ? null : u;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static Origin of(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        String host = u.getHost();
        if (defaultPort < 0 || host == null || u.getRawUserInfo() != null || u.getPort() > 65535) {
            return null;
        }
        // The authority must be exactly host[:port]: no empty port ("h:"), no leading zeros, nothing URI tolerates.
        if (!u.getRawAuthority().equalsIgnoreCase(u.getPort() < 0 ? host : host + ":" + u.getPort())) {
            return null;
        }
        return new Origin(scheme, host.toLowerCase(Locale.ROOT), u.getPort() < 0 ? defaultPort : u.getPort());
    }

    /** The serialisation a browser sends: the default port left out. */
    @Override
    public String toString() {
        boolean defaultPort = port == (scheme.equals("https") ? 443 : 80);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }
}
