package dev.sigil.recovery;

import dev.sigil.config.SigilConfig;
import dev.sigil.web.BrowserRoutes;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The links mails carry, built from configuration only (sigil.recovery.reset-url and verify-url, else pages under
 * sigil.issuer): never from a request's Host or X-Forwarded-Host, which an attacker chooses (reset poisoning).
 */
@ApplicationScoped
public class Links {

    private final String reset;
    private final String verify;
    private final String messageIdDomain;

    public Links(SigilConfig config) {
        String issuer = config.issuer().replaceAll("/+$", "");
        this.reset = checked(config.recovery().resetUrl().orElse(issuer + BrowserRoutes.RESET_PAGE));
        this.verify = checked(config.recovery().verifyUrl().orElse(issuer + BrowserRoutes.VERIFY_PAGE));
        this.messageIdDomain = config.mail().messageIdDomain().orElse(URI.create(issuer).getHost());
    }

    String reset(MailedToken token) {
        return withToken(reset, token);
    }

    String verify(MailedToken token) {
        return withToken(verify, token);
    }

    /** The right-hand side of every Message-ID. */
    String messageIdDomain() {
        return messageIdDomain;
    }

    static String withToken(String base, MailedToken token) {
        return base + (base.contains("?") ? "&" : "?") + "token=" + URLEncoder.encode(token.value(), StandardCharsets.US_ASCII);
    }

    /** An absolute http(s) URL without a fragment, or start-up fails. */
    static String checked(String url) {
        URI u = URI.create(url);
        if (!u.isAbsolute() || !("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null
                || u.getRawFragment() != null) {
            throw new IllegalArgumentException("sigil.recovery.reset-url and verify-url must be absolute http(s) URLs without a fragment");
        }
        return url;
    }
}
