package dev.sigil.config;

import dev.sigil.id.Origin;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Refuses to start with settings that contradict each other, naming each one and how to fix it. */
@ApplicationScoped
public class ConfigValidator {

    void onStart(@Observes StartupEvent event, SigilConfig config) {
        List<String> problems = new ArrayList<>(problems(config));
        problems.addAll(loginShareProblems(config.postgresql().loginShare(), org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.datasource.reactive.max-size", Integer.class).orElse(20)));
        problems.addAll(RelyingParty.problems(config));
        problems.addAll(redisProblems(config.redis().waitReplicas(), config.redis().waitTimeout(), config.redis().callTimeout()));
        if (config.rateLimits().reservationLifetime().compareTo(config.redis().callTimeout()) <= 0) {
            problems.add("sigil.rate-limits.reservation-lifetime must exceed sigil.redis.call-timeout (a check's reservation call runs within it)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid Sigil configuration:\n - " + String.join("\n - ", problems));
        }
    }

    /** A login share must leave some of the pool to everything else. */
    static List<String> loginShareProblems(java.util.OptionalInt share, int poolSize) {
        if (share.isPresent() && (share.getAsInt() < 1 || share.getAsInt() >= poolSize)) {
            return List.of("sigil.postgresql.login-share must be at least 1 and below quarkus.datasource.reactive.max-size ("
                    + poolSize + "), so that logins behind a locked sigil.users leave connections to everything else");
        }
        return List.of();
    }

    /** The replica acknowledgement settings (valid on every topology: standalone, Sentinel, Cluster). */
    static List<String> redisProblems(int waitReplicas, Duration waitTimeout, Duration callTimeout) {
        List<String> p = new ArrayList<>();
        if (callTimeout.isZero() || callTimeout.isNegative()) {
            p.add("sigil.redis.call-timeout must be positive (every Redis call needs a deadline)");
        } else if (waitReplicas > 0 && callTimeout.compareTo(waitTimeout) <= 0) {
            p.add("sigil.redis.call-timeout must exceed sigil.redis.wait-timeout (a change waits for its replicas within the call)");
        }
        if (waitReplicas < 0) {
            p.add("sigil.redis.wait-replicas must be 0 (asynchronous replication) or more");
        }
        if (waitReplicas > 0 && (waitTimeout.isZero() || waitTimeout.isNegative())) {
            p.add("sigil.redis.wait-timeout must be positive (0 would make WAIT block until the replicas answer)");
        }
        return p;
    }

    static List<String> problems(SigilConfig c) {
        List<String> p = new ArrayList<>();
        java.time.Duration acquire = c.postgresql().acquireTimeout();
        if (acquire.toMillis() < 1 || acquire.toMillis() > Integer.MAX_VALUE) {
            p.add("sigil.postgresql.acquire-timeout must be at least 1 ms (Vert.x reads 0 as no bound on the wait for a connection)");
        }
        SigilConfig.Cookie cookie = c.cookie();
        String name = cookie.name();
        if ((name.startsWith("__Secure-") || name.startsWith("__Host-")) && !cookie.secure()) {
            p.add("sigil.cookie.name '" + name + "' has a prefix that browsers only accept with Secure, but sigil.cookie.secure=false: "
                    + "drop the prefix (e.g. SIGIL_COOKIE_NAME=refresh_token) or keep Secure");
        }
        if (name.startsWith("__Host-")) {
            p.add("sigil.cookie.name: the __Host- prefix requires Path=/, but the refresh cookie is scoped to /refresh-token; use __Secure-");
        }
        if (!name.matches("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+")) {
            p.add("sigil.cookie.name '" + name + "' is not a valid cookie name");
        }
        String sameSite = cookie.sameSite().toLowerCase(Locale.ROOT);
        if (!List.of("strict", "lax", "none").contains(sameSite)) {
            p.add("sigil.cookie.same-site must be Strict, Lax or None, not '" + cookie.sameSite() + "'");
        } else if (sameSite.equals("none") && !cookie.secure()) {
            p.add("sigil.cookie.same-site=None requires sigil.cookie.secure=true");
        }
        SigilConfig.Tokens t = c.tokens();
        positive(p, "sigil.tokens.access-lifetime", t.accessLifetime());
        positive(p, "sigil.tokens.refresh-idle", t.refreshIdle());
        positive(p, "sigil.tokens.session-max", t.sessionMax());
        if (t.grace().isNegative()) {
            p.add("sigil.tokens.grace must be 0 (strict) or positive");
        } else if (t.grace().compareTo(t.refreshIdle()) >= 0) {
            p.add("sigil.tokens.grace must be shorter than sigil.tokens.refresh-idle");
        }
        if (t.clockSkew().isNegative()) {
            p.add("sigil.tokens.clock-skew must not be negative");
        }
        try {
            URI issuer = URI.create(c.issuer());
            if (issuer.getScheme() == null || issuer.getHost() == null) {
                p.add("sigil.issuer must be an absolute URL such as https://auth.example.com");
            }
        } catch (IllegalArgumentException e) {
            p.add("sigil.issuer must be an absolute URL such as https://auth.example.com");
        }
        c.web().allowedOrigins().ifPresent(origins -> origins.stream().filter(o -> !isOrigin(o)).forEach(o ->
                p.add("sigil.web.allowed-origins: '" + o + "' is not an origin; list each as scheme://host[:port] "
                        + "without path or wildcard, e.g. https://app.example.com")));
        if (c.audience().isEmpty()) {
            p.add("sigil.audience must name at least one audience");
        }
        SigilConfig.Keys k = c.keys();
        Duration needed = k.jwksMaxAge().plus(k.reloadInterval());
        if (k.activationLead().compareTo(needed) < 0) {
            p.add("sigil.keys.activation-lead (" + k.activationLead() + ") is shorter than sigil.keys.jwks-max-age + "
                    + "sigil.keys.reload-interval (" + needed + "): a verifier could still hold a cached JWKS without the "
                    + "next key when it starts signing. Raise the lead or lower the max-age");
        }
        mfa(p, c.mfa(), io.quarkus.runtime.LaunchMode.current() == io.quarkus.runtime.LaunchMode.NORMAL);
        positive(p, "sigil.rate-limits.reservation-lifetime", c.rateLimits().reservationLifetime());
        mail(p, c.mail(), c.recovery());
        // Plain ranges (Argon2id minimums, pool sizes, the session cap) are Bean Validation constraints on
        // SigilConfig, checked by Quarkus at start-up; this class keeps the rules that relate settings.
        return p;
    }

    /** The relay's timings: a claimed message must not become due again while it may still be sending. */
    static void mail(List<String> p, SigilConfig.Mail m, SigilConfig.Recovery r) {
        positive(p, "sigil.mail.poll-interval", m.pollInterval());
        positive(p, "sigil.mail.send-timeout", m.sendTimeout());
        positive(p, "sigil.mail.retry-base", m.retryBase());
        positive(p, "sigil.recovery.token-lifetime", r.tokenLifetime());
        if (m.lease().compareTo(m.sendTimeout()) <= 0) {
            p.add("sigil.mail.lease must exceed sigil.mail.send-timeout (else another replica may send a message still being sent)");
        }
        if (m.retryMax().compareTo(m.retryBase()) < 0) {
            p.add("sigil.mail.retry-max must not be shorter than sigil.mail.retry-base");
        }
    }

    /** An http(s) origin as browsers send it in {@code Origin} (the parser CORS and the cross-site guard use). */
    static boolean isOrigin(String value) {
        return Origin.parse(value) != null;
    }

    private static void positive(List<String> p, String name, Duration d) {
        if (d.isZero() || d.isNegative()) {
            p.add(name + " must be positive");
        }
    }

    /** The MFA key: well-formed when given, and required in prod when MFA is on (secrets must survive restarts). */
    static void mfa(List<String> p, SigilConfig.Mfa m, boolean prod) {
        positive(p, "sigil.mfa.step-up-max-age", m.stepUpMaxAge());
        positive(p, "sigil.mfa.enrolment-ticket-lifetime", m.enrolmentTicketLifetime());
        if (m.enrolmentTicketLifetime().compareTo(Duration.ofDays(7)) > 0) {
            p.add("sigil.mfa.enrolment-ticket-lifetime must be at most P7D (a ticket enrols a factor: keep it short)");
        }
        if (m.encryptionKey().isPresent()) {
            byte[] key;
            try {
                key = java.util.Base64.getDecoder().decode(m.encryptionKey().get().trim());
            } catch (IllegalArgumentException e) {
                key = new byte[0];
            }
            if (key.length != 32) {
                p.add("sigil.mfa.encryption-key must be base64 of 32 random bytes (e.g. openssl rand -base64 32)");
            }
        } else if (m.enabled() && prod) {
            p.add("sigil.mfa.enabled=true requires sigil.mfa.encryption-key (SIGIL_MFA_ENCRYPTION_KEY, base64 of 32 random bytes: "
                    + "openssl rand -base64 32); TOTP secrets are encrypted with it");
        }
    }
}
