package dev.sigil.token;

import dev.sigil.config.SigilConfig;
import dev.sigil.id.SessionId;
import dev.sigil.id.TokenId;
import dev.sigil.key.KeyRing;
import dev.sigil.key.SigningKey;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
     * A client_credentials token (RFC 6749 section 4.4): {@code sub} = {@code client_id} = the client,
     * its scopes and audience (Sigil's audience when it has none), its own lifetime, a {@code jti};
     * no {@code sid}, so Sigil's own user endpoints refuse it. Same key ring and issuer as user tokens.
     */
    public AccessToken issueForClient(String clientId, List<String> scopes, List<String> clientAudience, long clientLifetime) {
        // Never longer than user tokens: the JWKS keeps a retired key only for that long (see KeyRing).
        long lifetime = Math.min(clientLifetime, lifetimeSeconds);
        Instant instant = keys.now();
        long now = instant.getEpochSecond();
        JwtClaimsBuilder claims = Jwt.claims()
                .issuer(issuer)
                .subject(clientId)
                .audience(clientAudience.isEmpty() ? audience : new HashSet<>(clientAudience))
                .issuedAt(now)
                .expiresAt(now + lifetime)
                .claim("jti", TokenId.random().toString())
                .claim("client_id", clientId);
        if (!scopes.isEmpty()) {
            claims.claim("scope", String.join(" ", scopes));
        }
        return new AccessToken(sign(claims, instant), lifetime);
    }

    /**
     * A user's token. {@code version} is the user's version read before {@code user} was read (claim
     * {@code uv}): Sigil's own bearer checks refuse the token as soon as the user's version moves on.
     */
    public AccessToken issue(TokenSubject user, SessionId sessionId, long version) {
        return issue(user, sessionId, version, new Authentication(List.of(Authentication.PASSWORD), keys.now().getEpochSecond()), false);
    }

    /**
     * As above, with the session's {@code amr}, {@code acr} and {@code auth_time}; {@code enrolmentRequired}
     * adds {@code mfa_enrolment_required: true} (roles that need a second factor were left out).
     */
    public AccessToken issue(TokenSubject user, SessionId sessionId, long version, Authentication authn, boolean enrolmentRequired) {
        // One instant for iat and the key: a token can never carry a new kid with an iat before its activation.
        Instant instant = keys.now();
        long now = instant.getEpochSecond();
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
                .claim("jti", TokenId.random().toString())
                .claim("sid", sessionId.value())
                .claim("uv", version)
                .claim("amr", authn.methods())
                .claim("acr", authn.acr())
                .claim("auth_time", authn.authTime())
                .upn(user.username())
                .groups(new HashSet<>(user.roles()));
        if (user.email() != null) {
            // Always beside email: a verifier must not take a self-registered address for a checked one.
            claims.claim("email", user.email()).claim("email_verified", user.emailVerified());
        }
        if (enrolmentRequired) {
            claims.claim("mfa_enrolment_required", true);
        }
        return new AccessToken(sign(claims, instant), lifetimeSeconds);
    }

    private String sign(JwtClaimsBuilder claims, Instant instant) {
        SigningKey key = keys.activeAt(instant);
        long start = System.nanoTime();
        String jwt = claims.jws().keyId(key.kid()).header("typ", "JWT").sign(key.privateKey());
        signing.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return jwt;
    }
}
