package dev.sigil.config;

import dev.sigil.id.Origin;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The WebAuthn relying party as configured (sigil.webauthn.*) with its defaults applied: the rp id and the
 * origins whose ceremonies are accepted. {@link #problems} is the start-up check: a passkey is bound to its
 * rp id, so an origin off that domain could never use one, and a plain-http origin would let a network
 * attacker run ceremonies.
 */
public record RelyingParty(String id, String name, Set<Origin> origins) {

    /** A DNS name (lower case, dot-separated labels), not an IP literal: WebAuthn rp ids are domains. */
    private static final Pattern DOMAIN = Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    public RelyingParty {
        origins = Set.copyOf(origins);
    }

    /** The configured relying party; unparseable origins are left out here and reported by {@link #problems}. */
    public static RelyingParty of(SigilConfig c) {
        SigilConfig.Webauthn w = c.webauthn();
        Origin issuer = Origin.ofUrl(c.issuer());
        String id = w.rpId().map(s -> s.trim().toLowerCase(Locale.ROOT)).orElse(issuer == null ? "" : issuer.host());
        Set<Origin> origins = new LinkedHashSet<>();
        for (String o : configuredOrigins(c)) {
            Origin parsed = Origin.parse(o);
            // Defaults: only the allowed web origins on the rp id (another site's page could never use a passkey).
            if (parsed != null && (w.origins().isPresent() || coversHost(id, parsed))) {
                origins.add(parsed);
            }
        }
        return new RelyingParty(id, w.rpName(), origins);
    }

    private static boolean coversHost(String id, Origin origin) {
        return origin.host().equals(id) || origin.host().endsWith("." + id);
    }

    private static List<String> configuredOrigins(SigilConfig c) {
        if (c.webauthn().origins().isPresent()) {
            return c.webauthn().origins().get();
        }
        List<String> defaults = new ArrayList<>();
        Origin issuer = Origin.ofUrl(c.issuer());
        if (issuer != null) {
            defaults.add(issuer.toString());
        }
        defaults.addAll(c.web().allowedOrigins().orElse(List.of()));
        return defaults;
    }

    /** What is wrong with the passkey settings; empty when they hold (or passkeys are off). */
    static List<String> problems(SigilConfig c) {
        if (!c.webauthn().enabled()) {
            return List.of();
        }
        List<String> p = new ArrayList<>();
        RelyingParty rp = of(c);
        if (!DOMAIN.matcher(rp.id()).matches() || rp.id().matches("[0-9.]+")) {
            p.add("sigil.webauthn.rp-id must be a domain name such as example.com (got '" + rp.id() + "')");
            return p;
        }
        if (c.webauthn().challengeLifetime().toSeconds() < 30 || c.webauthn().challengeLifetime().toMinutes() > 10) {
            p.add("sigil.webauthn.challenge-lifetime must be between PT30S and PT10M");
        }
        for (String o : c.webauthn().origins().orElse(List.of())) {
            Origin origin = Origin.parse(o);
            if (origin == null) {
                p.add("sigil.webauthn.origins: '" + o + "' is not an origin (scheme://host[:port])");
            } else if (!rp.covers(origin)) {
                p.add("sigil.webauthn.origins: " + origin + " is not on the rp id " + rp.id()
                        + " (set sigil.webauthn.rp-id to a domain that every origin's host equals or ends with)");
            } else if (origin.scheme().equals("http") && !localhost(origin.host())) {
                p.add("sigil.webauthn.origins: " + origin + " must be https (http only for localhost)");
            }
        }
        if (rp.origins().isEmpty()) {
            p.add("sigil.webauthn.origins: no origin; set SIGIL_WEBAUTHN_ORIGINS or turn passkeys off (sigil.webauthn.enabled=false)");
        }
        return p;
    }

    /** Whether {@code origin}'s host is the rp id or a subdomain of it (WebAuthn's rule for the rp id). */
    public boolean covers(Origin origin) {
        return coversHost(id, origin);
    }

    private static boolean localhost(String host) {
        return host.equals("localhost") || host.endsWith(".localhost");
    }
}
