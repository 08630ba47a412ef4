package dev.sigil.session;

import dev.sigil.config.SigilConfig;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The refresh cookie's Set-Cookie values. Host-only (no Domain), HttpOnly, scoped to the refresh
 * endpoint's path under the HTTP root path.
 */
@ApplicationScoped
public class RefreshCookie {

    private final String name;
    private final String attributes;

    public RefreshCookie(SigilConfig config, @ConfigProperty(name = "quarkus.http.root-path", defaultValue = "/") String rootPath) {
        this.name = config.cookie().name();
        String path = (rootPath.endsWith("/") ? rootPath : rootPath + "/") + "refresh-token";
        this.attributes = "; Path=" + path + "; HttpOnly" + (config.cookie().secure() ? "; Secure" : "")
                + "; SameSite=" + config.cookie().sameSite();
    }

    public String name() {
        return name;
    }

    public String set(String token, long maxAgeSeconds) {
        return name + "=" + token + "; Max-Age=" + maxAgeSeconds + attributes;
    }

    public String clear() {
        return name + "=; Max-Age=0" + attributes;
    }

    /**
     * Lets a refused refresh clear the cookie. Only invalid_refresh_token and refresh_token_reused do: any
     * other failure (say, an outage) must not delete a cookie that a concurrent successful refresh has just set.
     */
    Throwable clearOnRefusal(Throwable failure) {
        if (failure instanceof SigilException e
                && (e.code == ErrorCode.INVALID_REFRESH_TOKEN || e.code == ErrorCode.REFRESH_TOKEN_REUSED)) {
            return e.withHeader(HttpHeaders.SET_COOKIE, clear());
        }
        return failure;
    }
}
