package dev.sigil.oauth;

import dev.sigil.config.SigilConfig;
import dev.sigil.id.ClientId;
import dev.sigil.id.SessionId;
import dev.sigil.id.TokenId;
import dev.sigil.id.UserId;
import dev.sigil.key.KeyRing;
import dev.sigil.key.SigningKey;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.lang.UnresolvableKeyException;

import java.util.List;

/**
 * Reads an access token Sigil issued, verified with the key ring alone (no PostgreSQL, no HTTP): RS256,
 * a published kid, typ JWT, Sigil's issuer, exp, iat not in the future. Any audience: client tokens
 * carry their client's. The claims that name Redis keys are parsed into typed values.
 */
@ApplicationScoped
public class SigilTokens {

    /** A verified user token (sub a UUID, with sid) or client token (sub = client_id, no sid). */
    sealed interface Verified permits UserToken, ClientToken {
        JwtClaims claims();

        /** {@code aud}, a string or an array in the token, as a list. */
        List<String> audience();

        TokenId jti();

        long issuedAt();

        long expiresAt();
    }

    record UserToken(JwtClaims claims, List<String> audience, UserId user, SessionId sid, TokenId jti, long version, long issuedAt,
                     long expiresAt) implements Verified {
    }

    /** {@code issuedAtTicks}: the issue instant its time-ordered jti carries (see TokenId#timeOrdered). */
    record ClientToken(JwtClaims claims, List<String> audience, ClientId client, TokenId jti, long issuedAtTicks, long issuedAt,
                       long expiresAt) implements Verified {

        /** The granted scopes ({@code scope}, space-separated); empty when there is none. */
        List<String> scopes() {
            return claims.getClaimValue("scope") instanceof String s && !s.isEmpty() ? List.of(s.split(" ")) : List.of();
        }
    }

    private final JwtConsumer consumer;
    private final int skewSeconds;

    public SigilTokens(KeyRing keys, SigilConfig config) {
        this.skewSeconds = (int) config.tokens().clockSkew().toSeconds();
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
                .setRequireSubject()
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds(skewSeconds)
                .build();
    }

    /** The verified token, or null for anything else (never an exception: input is hostile). */
    Verified verify(String token) {
        if (token == null || token.length() > 8192 || token.indexOf('.') < 0) {
            return null;
        }
        try {
            JwtContext context = consumer.process(token);
            if (!"JWT".equals(context.getJoseObjects().get(0).getHeader("typ"))) {
                return null;
            }
            JwtClaims c = context.getJwtClaims();
            long iat = c.getIssuedAt().getValue();
            if (iat > NumericDate.now().getValue() + skewSeconds) {
                return null;
            }
            // The same strict formats as the bearer check: typed ids, never a raw claim in a key.
            TokenId jti = TokenId.parse(c.getJwtId()).orElse(null);
            long exp = c.getExpirationTime().getValue();
            String sid = c.getClaimValue("sid") instanceof String s ? s : null;
            String clientId = c.getClaimValue("client_id") instanceof String s ? s : null;
            List<String> aud = c.getAudience(); // jose4j: a string or an array of strings, else MalformedClaimException
            if (jti == null || aud.isEmpty()) {
                return null;
            }
            if (sid != null && clientId == null) {
                UserId user = UserId.parse(c.getSubject()).orElse(null);
                SessionId session = SessionId.parse(sid).orElse(null);
                Object uv = c.getClaimValue("uv");
                long version = uv == null ? 0 : uv instanceof Long l && l >= 0 ? l : -1; // jose4j reads JSON integers as Long
                return user != null && session != null && version >= 0 ? new UserToken(c, aud, user, session, jti, version, iat, exp) : null;
            }
            if (sid == null && clientId != null && clientId.equals(c.getSubject())) {
                ClientId client = ClientId.parse(clientId);
                long ticks = jti.issuedAtTicks().orElse(-1);
                return client == null || ticks < 0 ? null : new ClientToken(c, aud, client, jti, ticks, iat, exp);
            }
            return null;
        } catch (InvalidJwtException | MalformedClaimException | RuntimeException e) {
            return null;
        }
    }
}
