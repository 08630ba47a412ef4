package dev.sigil.session;

import dev.sigil.config.SigilConfig;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Locale;

/**
 * The refresh cookie's Set-Cookie values. Host-only (no Domain), HttpOnly, scoped to the refresh
 * endpoint's path under the HTTP root path.
 */
@ApplicationScoped
public class RefreshCookie {

    private final String name;
    private final String path;
    private final boolean secure;
    private final CookieSameSite sameSite;

    public RefreshCookie(SigilConfig config, @ConfigProperty(name = "quarkus.http.root-path", defaultValue = "/") String rootPath) {
        this.name = config.cookie().name();
        this.path = (rootPath.endsWith("/") ? rootPath : rootPath + "/") + "refresh-token";
        this.secure = config.cookie().secure();
        this.sameSite = CookieSameSite.valueOf(config.cookie().sameSite().toUpperCase(Locale.ROOT)); // validated at start-up
    }

    public String name() {
        return name;
    }

    /** The Set-Cookie value, encoded by Vert.x (Netty's RFC 6265 encoder): Max-Age, Expires, Path, Secure, HttpOnly, SameSite. */
    public String set(String token, long maxAgeSeconds) {
        return cookie(token, maxAgeSeconds).encode();
    }

    public String clear() {
        return cookie("", 0).encode();
    }

    private Cookie cookie(String value, long maxAgeSeconds) {
        // Host-only: no Domain, so a sibling subdomain can neither read nor be sent this cookie.
        return Cookie.cookie(name, value).setPath(path).setMaxAge(maxAgeSeconds).setHttpOnly(true).setSecure(secure)
                .setSameSite(sameSite);
    }

    /**
     * Lets a refused refresh clear the cookie. Only invalid_refresh_token and refresh_token_reused do: any
     * other failure (say, an outage) must not delete a cookie that a concurrent successful refresh has just set.
     */
    Throwable clearOnRefusal(Throwable failure) {
        if (failure instanceof SigilException e
                && (e.code == ErrorCode.INVALID_REFRESH_TOKEN || e.code == ErrorCode.REFRESH_TOKEN_REUSED)) {
            return e instanceof DuplicateCookieException ? e : e.withHeader(HttpHeaders.SET_COOKIE, clear());
        }
        return failure;
    }

    /** How often this cookie's name occurs in the request's {@code Cookie} header values, all of them together. */
    public int occurrences(List<String> cookieHeaders) {
        return count(cookieHeaders, name);
    }

    /**
     * Counts the cookie-pairs named {@code name} (RFC 6265 section 4.2.1: {@code name=value} pairs joined by
     * {@code "; "}, over any number of headers). Pairs are also split at commas: no cookie-value may
     * contain one, and a framework that reads the obsolete comma-separated form must not find a second
     * refresh cookie that this count missed. Only counts; the value is still read by the framework.
     */
    static int count(List<String> cookieHeaders, String name) {
        int n = 0;
        if (cookieHeaders == null) {
            return 0;
        }
        for (String header : cookieHeaders) {
            if (header == null) {
                continue;
            }
            for (String pair : header.split("[;,]", -1)) {
                int eq = pair.indexOf('=');
                if (eq >= 0 && pair.substring(0, eq).trim().equals(name)) {
                    n++;
                }
            }
        }
        return n;
    }
}
