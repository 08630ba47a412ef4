package dev.sigil.token;

import dev.sigil.config.SigilConfig;
import dev.sigil.id.SessionId;
import dev.sigil.id.TokenId;
import dev.sigil.key.KeyRing;
import dev.sigil.key.SigningKey;
import dev.sigil.user.UserSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwx.HeaderParameterNames;
import org.jose4j.lang.JoseException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Mints RS256 access tokens with the active key. Knows nothing of sessions beyond the {@code sid} it is given.
 * Signs with jose4j directly rather than through smallrye-jwt's builder, which does the same jose4j calls but
 * first reads half a dozen MicroProfile Config properties per token (default claims, lifespan, algorithm, key
 * validation): a measurable share of a client_credentials grant. The claims and the header
 * ({@code kid}, {@code typ: JWT}, {@code alg: RS256}, in that order) are those the builder produced.
 */
@ApplicationScoped
public class AccessTokenIssuer {

    private final KeyRing keys;
    private final String issuer;
    private final List<String> audience;
    private final long lifetimeSeconds;
    /** Roles a token carries only when its session used a second factor (sigil.mfa.required-roles). */
    private final Set<String> mfaRoles;
    private final Timer signing;

    public AccessTokenIssuer(KeyRing keys, SigilConfig config, MeterRegistry registry) {
        this.signing = Timer.builder("sigil.token.signing").register(registry);
        this.keys = keys;
        this.issuer = config.issuer();
        // As smallrye-jwt's builder set it: the configured audiences through a set (so without duplicates).
        this.audience = List.copyOf(Set.copyOf(config.audience()));
        this.lifetimeSeconds = config.tokens().accessLifetime().toSeconds();
        this.mfaRoles = Set.copyOf(config.mfa().requiredRoles().orElse(List.of()));
    }

    /**
     * A client_credentials token (RFC 6749 section 4.4): {@code sub} = {@code client_id} = the client,
     * its scopes, the audience picked for it, its own lifetime, a time-ordered {@code jti} (its issue instant
     * below the second: see ClientTokenStore#revokeAll); no {@code sid}, so Sigil's own user endpoints refuse it.
     * Same key ring and issuer as user tokens, so the audience is what keeps the two apart: it is never empty and
     * never one of the user audience, else the token would verify wherever user tokens do (RFC 8725 section 3.11).
     */
    public AccessToken issueForClient(String clientId, List<String> scopes, List<String> clientAudience, long clientLifetime) {
        if (clientAudience.isEmpty() || clientAudience.stream().anyMatch(audience::contains)) {
            throw new IllegalArgumentException("A client token needs an audience of its own");
        }
        // Never longer than user tokens: the JWKS keeps a retired key only for that long (see KeyRing).
        long lifetime = Math.min(clientLifetime, lifetimeSeconds);
        Instant instant = keys.now();
        long now = instant.getEpochSecond();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(clientId);
        claims.setAudience(List.copyOf(new LinkedHashSet<>(clientAudience)));
        claims.setClaim("iat", now);
        claims.setClaim("exp", now + lifetime);
        claims.setClaim("jti", TokenId.timeOrdered(instant).toString());
        claims.setClaim("client_id", clientId);
        if (!scopes.isEmpty()) {
            claims.setClaim("scope", String.join(" ", scopes));
        }
        return new AccessToken(sign(claims, instant), lifetime);
    }

    /** Claims an exchanged token never copies from its subject: Sigil sets them anew, or they governed the subject only. */
    private static final Set<String> NOT_COPIED = Set.of("iss", "aud", "iat", "exp", "nbf", "jti", "act", "may_act", "scope");

    /**
     * A token from token exchange (RFC 8693): the subject's claims ({@code sub}, and for a user {@code sid},
     * {@code uv}, roles and the rest, so it can never carry more than the subject did and dies with its session),
     * for {@code tokenAudience}, with {@code act} = the calling client over the subject's own {@code act} (section
     * 4.1), only {@code scopes} (none: no {@code scope}), and a time-ordered {@code jti} (its issue instant, to
     * compare with a client's not-before). It expires after {@code lifetime} seconds but never after the subject
     * token: null when the subject has expired already (nothing left to delegate).
     */
    public AccessToken issueExchanged(VerifiedToken subject, String actor, List<String> scopes, List<String> tokenAudience,
                                      long lifetime) {
        if (tokenAudience.isEmpty() || tokenAudience.stream().anyMatch(audience::contains)) {
            throw new IllegalArgumentException("An exchanged token needs an audience of its own");
        }
        Instant instant = keys.now();
        long now = instant.getEpochSecond();
        long exp = Math.min(now + Math.min(lifetime, lifetimeSeconds), subject.expiresAt());
        if (exp <= now) {
            return null;
        }
        JwtClaims claims = new JwtClaims();
        subject.claims().forEach((name, value) -> {
            if (!NOT_COPIED.contains(name)) {
                claims.setClaim(name, value);
            }
        });
        claims.setIssuer(issuer);
        claims.setAudience(List.copyOf(new LinkedHashSet<>(tokenAudience)));
        claims.setClaim("iat", now);
        claims.setClaim("exp", exp);
        claims.setClaim("jti", TokenId.timeOrdered(instant).toString());
        Map<String, Object> act = new LinkedHashMap<>();
        act.put("sub", actor);
        if (subject.claims().get("act") != null) {
            act.put("act", subject.claims().get("act"));
        }
        claims.setClaim("act", act);
        if (!scopes.isEmpty()) {
            claims.setClaim("scope", String.join(" ", scopes));
        }
        return new AccessToken(sign(claims, instant), exp - now);
    }

    /**
     * A user's token. {@code version} is the user's version read before {@code user} was read (claim
     * {@code uv}): Sigil's own bearer checks refuse the token as soon as the user's version moves on. It carries
     * the session's {@code amr}, {@code acr} and {@code auth_time}. Without a second factor in {@code authn},
     * the roles of sigil.mfa.required-roles are left out and the token says {@code mfa_enrolment_required}:
     * the user can enrol (or step up) with it, but not act in those roles. Decided here because the claims
     * are minted here: no caller can forget it.
     */
    public AccessToken issue(UserSnapshot subject, SessionId sessionId, long version, Authentication authn) {
        UserSnapshot user = subject;
        boolean enrolmentRequired = false;
        if (!authn.secondFactor() && subject.roles().stream().anyMatch(mfaRoles::contains)) {
            user = subject.withRoles(subject.roles().stream().filter(r -> !mfaRoles.contains(r)).toList());
            enrolmentRequired = true;
        }
        // One instant for iat and the key: a token can never carry a new kid with an iat before its activation.
        Instant instant = keys.now();
        long now = instant.getEpochSecond();
        JwtClaims claims = new JwtClaims();
        // Custom claims first, so that nothing stored with a user can override a claim Sigil sets.
        for (Map.Entry<String, Object> c : user.claims().entrySet()) {
            claims.setClaim(c.getKey(), jsonValue(c.getValue()));
        }
        claims.setIssuer(issuer);
        claims.setSubject(user.id().toString());
        claims.setAudience(audience);
        claims.setClaim("iat", now);
        claims.setClaim("exp", now + lifetimeSeconds);
        claims.setClaim("jti", TokenId.random().toString());
        claims.setClaim("sid", sessionId.value());
        claims.setClaim("uv", version);
        claims.setClaim("amr", authn.methods());
        claims.setClaim("acr", authn.acr());
        claims.setClaim("auth_time", authn.authTime());
        claims.setClaim("upn", user.username());
        claims.setClaim("groups", List.copyOf(new HashSet<>(user.roles())));
        if (user.email() != null) {
            // Always beside email: a verifier must not take a self-registered address for a checked one.
            claims.setClaim("email", user.email());
            claims.setClaim("email_verified", user.emailVerified());
        }
        if (enrolmentRequired) {
            claims.setClaim("mfa_enrolment_required", true);
        }
        return new AccessToken(sign(claims, instant), lifetimeSeconds);
    }

    /**
     * A stored custom claim as JSON: what smallrye-jwt's builder made of it (lists and maps copied member by
     * member, numbers and booleans kept, anything else as its string), so tokens read as they did.
     */
    static Object jsonValue(Object value) {
        if (value instanceof Collection<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(jsonValue(item));
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put((String) e.getKey(), jsonValue(e.getValue()));
            }
            return out;
        }
        return value == null || value instanceof Number || value instanceof Boolean ? value : value.toString();
    }

    private String sign(JwtClaims claims, Instant instant) {
        SigningKey key = keys.activeAt(instant);
        long start = System.nanoTime();
        JsonWebSignature jws = new JdkBase64Jws();
        jws.setHeader(HeaderParameterNames.KEY_ID, key.kid());
        jws.setHeader(HeaderParameterNames.TYPE, "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setPayload(claims.toJson());
        jws.setKey(key.privateKey());
        try {
            String jwt = jws.getCompactSerialization();
            signing.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return jwt;
        } catch (JoseException e) {
            throw new IllegalStateException("Signing an access token failed", e);
        }
    }
}
