package dev.sigil.token;

import dev.sigil.config.SigilConfig;
import dev.sigil.id.ClientId;
import dev.sigil.id.SessionId;
import dev.sigil.id.TokenId;
import dev.sigil.id.UserId;
import dev.sigil.key.KeyRing;
import dev.sigil.key.SigningKey;
import dev.sigil.token.VerifiedToken.ClientToken;
import dev.sigil.token.VerifiedToken.UserToken;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.lang.UnresolvableKeyException;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one check of an access token Sigil issued, for its bearer endpoints (through smallrye-jwt, see
 * {@link BearerParser}) and for introspection and revocation: verified with the key ring alone (no PostgreSQL,
 * no HTTP, rotation seen at once). Canonical compact form, RS256, a published {@code kid}, {@code typ: JWT},
 * Sigil's issuer, {@code exp}, {@code iat} not after now, {@code sub} and {@code jti}, all with
 * {@code sigil.tokens.clock-skew}; then every claim Sigil reads parsed into a {@link VerifiedToken}. Any audience:
 * the bearer check wants {@code sigil.audience}, introspection answers for client tokens too.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** No exchange may nest deeper than sigil.token-exchange.max-depth (at most this); a longer chain is not Sigil's. */
    static final int MAX_CHAIN = 16;

    private final JwtConsumer consumer;

    public AccessTokenVerifier(KeyRing keys, SigilConfig config) {
        this.consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256))
                .setVerificationKeyResolver((jws, nesting) -> {
                    String kid = jws.getKeyIdHeaderValue();
                    SigningKey key = kid == null ? null : keys.view().byKid().get(kid);
                    if (key == null) {
                        throw new UnresolvableKeyException("No published key matches the token's kid");
                    }
                    return key.publicKey();
                })
                .setExpectedIssuer(config.issuer())
                .setSkipDefaultAudienceValidation()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                // jose4j alone only requires iat to be there. A token "issued" after now + skew is not one Sigil made.
                .setIssuedAtRestrictions(0, Integer.MAX_VALUE)
                .setRequireSubject()
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds((int) config.tokens().clockSkew().toSeconds())
                .build();
    }

    /** The verified token with its claims typed; {@link RejectedToken} for anything else. */
    public VerifiedToken verify(String token) throws RejectedToken {
        if (token == null || !canonicalCompact(token)) {
            throw new RejectedToken("The token is not a compact JWS in canonical base64url");
        }
        JwtContext jwt;
        try {
            jwt = consumer.process(token);
        } catch (InvalidJwtException e) {
            throw new RejectedToken("The token could not be verified", redacted(e));
        }
        if (!"JWT".equals(jwt.getJoseObjects().get(0).getHeader("typ"))) {
            // Only Sigil's access tokens (typ JWT) are accepted, not other JWT kinds signed with the same keys.
            throw new RejectedToken("Unexpected token type");
        }
        try {
            return typed(jwt.getJwtClaims());
        } catch (MalformedClaimException | RuntimeException e) {
            throw new RejectedToken("A claim is not in Sigil's format"); // the exception would quote the claim
        }
    }

    /** A user token (sub, sid, no client_id) or a client token (sub = client_id, no sid); the ids in Sigil's exact format. */
    private static VerifiedToken typed(JwtClaims c) throws MalformedClaimException, RejectedToken {
        TokenId jti = TokenId.parse(c.getJwtId()).orElseThrow(() -> new RejectedToken("jti is not in Sigil's format"));
        List<String> aud = c.getAudience(); // a string or an array of strings, else MalformedClaimException
        if (aud == null || aud.isEmpty()) {
            throw new RejectedToken("No audience");
        }
        Map<String, Object> claims = Collections.unmodifiableMap(new LinkedHashMap<>(c.getClaimsMap()));
        long iat = c.getIssuedAt().getValue();
        long exp = c.getExpirationTime().getValue();
        String sid = c.getStringClaimValue("sid");
        String clientId = c.getStringClaimValue("client_id");
        List<ClientId> actors = actors(claims.get("act"));
        String mayAct = mayAct(claims);
        String scope = c.getStringClaimValue("scope");
        List<String> scopes = scope == null || scope.isEmpty() ? List.of() : List.of(scope.split(" "));
        if (sid != null && clientId == null) {
            UserId user = UserId.parse(c.getSubject()).orElseThrow(() -> new RejectedToken("sub is not in Sigil's format"));
            SessionId session = SessionId.parse(sid).orElseThrow(() -> new RejectedToken("sid is not in Sigil's format"));
            // Every access token Sigil issues carries uv: one without it is not Sigil's.
            Long version = count(claims, "uv", null);
            if (version == null) {
                throw new RejectedToken("uv is absent");
            }
            // A token from login is not scoped (it carries the user's authority); an exchanged one has only what it was left.
            return new UserToken(claims, List.copyOf(aud), user, session, jti, version, Set.copyOf(strings(c, "groups")),
                    strings(c, "amr"), count(claims, "auth_time", null), iat, exp, actors.isEmpty() ? null : scopes, actors, mayAct);
        }
        if (sid == null && clientId != null && clientId.equals(c.getSubject())) {
            ClientId client = ClientId.parse(clientId);
            long ticks = jti.issuedAtTicks().orElse(-1);
            if (client == null || ticks < 0) {
                throw new RejectedToken("client_id or jti is not in Sigil's format");
            }
            return new ClientToken(claims, List.copyOf(aud), client, jti, ticks, scopes, iat, exp, actors, mayAct);
        }
        throw new RejectedToken("Neither a user token nor a client token");
    }

    /**
     * RFC 8693 section 4.1's {@code act}, as Sigil writes it: an object of {@code sub} (a client id) and, for each
     * earlier hop, a nested {@code act}; nothing else. The current actor first. Empty when absent.
     */
    static List<ClientId> actors(Object act) throws RejectedToken {
        List<ClientId> chain = new ArrayList<>();
        for (Object hop = act; hop != null; ) {
            if (!(hop instanceof Map<?, ?> m) || !m.containsKey("sub") || m.size() > 2 || (m.size() == 2 && !m.containsKey("act"))
                    || chain.size() >= MAX_CHAIN) {
                throw new RejectedToken("act is not in Sigil's format");
            }
            ClientId actor = m.get("sub") instanceof String s ? ClientId.parse(s) : null;
            if (actor == null) {
                throw new RejectedToken("act is not in Sigil's format");
            }
            chain.add(actor);
            hop = m.get("act");
        }
        return List.copyOf(chain);
    }

    /** {@code may_act.sub}, a string; null without {@code may_act}; any other shape: refused. */
    private static String mayAct(Map<String, Object> claims) throws RejectedToken {
        if (!claims.containsKey("may_act")) {
            return null;
        }
        if (claims.get("may_act") instanceof Map<?, ?> m && m.get("sub") instanceof String s) {
            return s;
        }
        throw new RejectedToken("may_act is not an object with a sub");
    }

    /**
     * A non-negative JSON integer ({@code uv}, {@code auth_time}; jose4j reads JSON integers as Long), or
     * {@code absent} when the token has no such member. JSON null, a fraction, a string: refused.
     */
    private static Long count(Map<String, Object> claims, String name, Long absent) throws RejectedToken {
        if (!claims.containsKey(name)) {
            return absent;
        }
        if (claims.get(name) instanceof Long l && l >= 0) {
            return l;
        }
        throw new RejectedToken(name + " is not a non-negative integer");
    }

    /** An array of strings, or empty when the token has no such member; JSON null or any other type: refused. */
    private static List<String> strings(JwtClaims c, String name) throws MalformedClaimException, RejectedToken {
        if (!c.getClaimsMap().containsKey(name)) {
            return List.of();
        }
        List<String> values = c.getStringListClaimValue(name);
        if (values == null) {
            throw new RejectedToken(name + " is not an array of strings");
        }
        return List.copyOf(values); // a null member throws: refused like any other malformed claim
    }

    /**
     * jose4j's messages quote the token (for a bad signature: {@code JsonWebSignature{...}->eyJ...}) and the
     * claims, and the exception reaches framework DEBUG/TRACE log lines. Only the error codes are kept.
     */
    private static InvalidJwtException redacted(InvalidJwtException e) {
        List<ErrorCodeValidator.Error> codes = e.getErrorDetails().stream()
                .map(d -> new ErrorCodeValidator.Error(d.getErrorCode(), "jose4j error code " + d.getErrorCode()))
                .toList();
        return new InvalidJwtException("JWT rejected", codes, null);
    }

    /**
     * True when the token is three non-empty segments of canonical base64url: no padding, no character
     * outside the alphabet, and zero unused bits in the last character. jose4j decodes more leniently,
     * so one token would otherwise have many spellings (each a distinct string that verifies).
     */
    static boolean canonicalCompact(String token) {
        String[] segments = token.split("\\.", -1);
        if (segments.length != 3) {
            return false;
        }
        for (String segment : segments) {
            if (segment.isEmpty() || !canonical(segment)) {
                return false;
            }
        }
        return true;
    }

    private static boolean canonical(String segment) {
        try {
            return B64.encodeToString(B64D.decode(segment)).equals(segment);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
