package dev.sigil.token;

import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import dev.sigil.config.SigilConfig;
import dev.sigil.key.KeyRing;
import dev.sigil.key.SigningKey;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Mints RS256 access tokens with the active key. Knows nothing of sessions beyond the {@code sid} it is given. */
@ApplicationScoped
public class AccessTokenIssuer {

    private final KeyRing keys;
    private final String issuer;
    private final Set<String> audience;
    private final long lifetimeSeconds;
    private final Timer signing;

    public AccessTokenIssuer(KeyRing keys, SigilConfig config, MeterRegistry registry) {
        this.signing = Timer.builder("sigil.token.signing").register(registry);
        this.keys = keys;
        this.issuer = config.issuer();
        this.audience = Set.copyOf(config.audience());
        this.lifetimeSeconds = config.tokens().accessLifetime().toSeconds();
    }

    /**
     * {@code version} is the user's version read before {@code user} was read (claim {@code uv}): Sigil's
     * own bearer checks refuse the token as soon as the user's version moves on.
     */
    public AccessToken issue(TokenSubject user, String sessionId, long version) {
        long now = System.currentTimeMillis() / 1000;
        JwtClaimsBuilder claims = Jwt.claims();
        // Custom claims first, so that nothing stored with a user can override a claim Sigil sets.
        for (Map.Entry<String, Object> c : user.customClaims().entrySet()) {
            claims.claim(c.getKey(), c.getValue());
        }
        claims.issuer(issuer)
                .subject(user.id().toString())
                .audience(audience)
                .issuedAt(now)
                .expiresAt(now + lifetimeSeconds)
                .claim("jti", UUID.randomUUID().toString())
                .claim("sid", sessionId)
                .claim("uv", version)
                .upn(user.username())
                .groups(new HashSet<>(user.roles()));
        if (user.email() != null) {
            claims.claim("email", user.email());
        }
        SigningKey key = keys.active();
        long start = System.nanoTime();
        String jwt = claims.jws().keyId(key.kid()).header("typ", "JWT").sign(key.privateKey());
        signing.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return new AccessToken(jwt, lifetimeSeconds);
    }
}
