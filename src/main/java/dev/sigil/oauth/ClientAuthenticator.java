package dev.sigil.oauth;

import dev.sigil.client.ClientCache;
import dev.sigil.client.ClientTokenStore;
import dev.sigil.client.RegisteredClient;
import dev.sigil.config.SigilConfig;
import dev.sigil.error.OAuthError;
import dev.sigil.id.ClientId;
import dev.sigil.throttle.Throttle;
import dev.sigil.web.CallerAddress;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

import java.time.Instant;
import java.util.List;

/**
 * Authenticates OAuth clients: secret (Basic or form) against the stored digests, or a private_key_jwt
 * assertion (RFC 7523) against the client's keys: {@code iss} = {@code sub} = the client, {@code aud}
 * exactly one value, the issuer or the token endpoint, {@code exp} at most 5 minutes ahead, a {@code jti} never seen before
 * (Redis SET NX until exp), RS256/ES256/PS256 only. Every failure is the same {@code invalid_client}
 * and counts towards the (client, address) lockout and the address's allowance; a right credential is
 * served even while they refuse wrong ones (see Throttle#clientCheck and ClientTokenStore#check).
 */
@ApplicationScoped
public class ClientAuthenticator {

    private static final AlgorithmConstraints ASSERTION_ALGS = new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA256);
    /** Keys tried for an assertion whose kid names none of the client's keys. */
    private static final int MAX_TRIED = 10;
    /** Reads iss/sub before verification, only to know whose keys to verify with. */
    private static final JwtConsumer UNVERIFIED = new JwtConsumerBuilder().setSkipAllValidators()
            .setDisableRequireSignature().setSkipSignatureVerification().build();

    private final ClientCache cache;
    private final ClientKeys keys;
    private final ClientTokenStore tokens;
    private final Throttle throttle;
    private final String[] audiences;
    private final int skewSeconds;

    public ClientAuthenticator(ClientCache cache, ClientKeys keys, ClientTokenStore tokens,
                               Throttle throttle, SigilConfig config) {
        this.cache = cache;
        this.keys = keys;
        this.tokens = tokens;
        this.throttle = throttle;
        String base = config.issuer().endsWith("/") ? config.issuer().substring(0, config.issuer().length() - 1) : config.issuer();
        // The issuer or the token endpoint (what Spring and Nimbus send), one value only: draft-ietf-oauth-rfc7523bis
        // closes the audience-injection hole (an array naming another server too) that any-of matching leaves open.
        this.audiences = new String[] {config.issuer(), base, base + "/oauth2/token"};
        this.skewSeconds = (int) config.tokens().clockSkew().toSeconds();
    }

    /**
     * The authenticated, enabled client. Its record comes from the cache under the version that the
     * throttle reads in the same Redis call as the lockout, so a disabled, deleted, rotated or changed client
     * is seen as such from the moment the admin call returns, without a PostgreSQL read per call.
     */
    Uni<RegisteredClient> authenticate(PresentedClient presented, CallerAddress address) {
        if (presented.method() == PresentedClient.Method.NONE) {
            return Uni.createFrom().failure(OAuthError.invalidClient());
        }
        ClientId id;
        try {
            id = presented.method() == PresentedClient.Method.PRIVATE_KEY_JWT ? assertedClient(presented) : presented.id();
        } catch (OAuthError e) {
            return Uni.createFrom().failure(e);
        }
        ClientCache.Cached matched = cachedMatch(presented, id);
        return tokens.check(id, address, matched == null ? null : matched.version()).flatMap(state -> state.settled()
                ? Uni.createFrom().item(matched.client())
                : throttle.clientCheck(id, address, state.lockout(),
                        e -> e instanceof OAuthError o && "invalid_client".equals(o.error) && !(e instanceof NoSuchClient),
                        e -> e instanceof NoSuchClient,
                        gate -> cache.get(id, state.version(), gate::beforeLookup).flatMap(client -> check(presented, client))));
    }

    /** invalid_client for an id that names no client: the throttle counts it for the address only. */
    private static final class NoSuchClient extends OAuthError {
        NoSuchClient() {
            super("invalid_client", 401, "Client authentication failed", 0);
        }
    }

    /**
     * The cached record of an enabled client whose secret the presented one matches: the check's Redis call then
     * settles the success itself if that record's version is still current, so a grant costs one Redis round trip, not two. Any
     * other case (no cached record, a wrong secret, a private_key_jwt assertion, whose jti needs Redis anyway)
     * is null and takes the reserved path, which checks again.
     */
    private ClientCache.Cached cachedMatch(PresentedClient presented, ClientId id) {
        if (presented.method() == PresentedClient.Method.PRIVATE_KEY_JWT) {
            return null;
        }
        ClientCache.Cached cached = cache.peek(id);
        if (cached == null || !cached.client().enabled() || !cached.client().secretMatches(presented.secret(), Instant.now())) {
            return null;
        }
        return cached;
    }

    private Uni<RegisteredClient> check(PresentedClient presented, RegisteredClient client) {
        if (client == null) {
            return Uni.createFrom().failure(new NoSuchClient());
        }
        if (!client.enabled()) {
            return Uni.createFrom().failure(OAuthError.invalidClient());
        }
        if (presented.method() != PresentedClient.Method.PRIVATE_KEY_JWT) {
            return client.secretMatches(presented.secret(), Instant.now()) ? Uni.createFrom().item(client)
                    : Uni.createFrom().failure(OAuthError.invalidClient());
        }
        if (!client.hasKeys()) {
            return Uni.createFrom().failure(OAuthError.invalidClient());
        }
        return verify(presented.assertion(), client, false)
                .flatMap(claims -> claims == null ? keysRefetched(presented, client) : Uni.createFrom().item(claims))
                .flatMap(claims -> {
                    try {
                        return tokens.firstUseOfAssertion(client.id(), claims.getJwtId(), claims.getExpirationTime().getValue());
                    } catch (MalformedClaimException e) {
                        return Uni.createFrom().failure(OAuthError.invalidClient());
                    }
                })
                .map(first -> {
                    if (!first) {
                        throw OAuthError.invalidClient(); // a replayed assertion
                    }
                    return client;
                });
    }

    /** The kid was unknown: refetch a JWKS URL's keys once (rate-limited) and try again. */
    private Uni<JwtClaims> keysRefetched(PresentedClient presented, RegisteredClient client) {
        if (client.jwksUri() == null) {
            return Uni.createFrom().failure(OAuthError.invalidClient());
        }
        return verify(presented.assertion(), client, true).map(claims -> {
            if (claims == null) {
                throw OAuthError.invalidClient();
            }
            return claims;
        });
    }

    /** The verified claims; null when no key of the client matched (maybe a key rotated in); invalid_client otherwise. */
    private Uni<JwtClaims> verify(String assertion, RegisteredClient client, boolean refetch) {
        return keys.of(client, refetch).map(list -> {
            JwtConsumer consumer = consumer(client.id(), list);
            try {
                JwtClaims claims = consumer.processToClaims(assertion);
                if (claims.getAudience().size() != 1) {
                    throw OAuthError.invalidClient(); // the consumer checked that one of them is ours
                }
                return claims;
            } catch (MalformedClaimException e) {
                throw OAuthError.invalidClient();
            } catch (InvalidJwtException e) {
                if (unresolvable(e)) {
                    return null;
                }
                throw OAuthError.invalidClient();
            }
        });
    }

    private JwtConsumer consumer(ClientId id, List<JsonWebKey> list) {
        return new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(ASSERTION_ALGS)
                .setVerificationKeyResolver(resolver(list))
                .setExpectedIssuer(id.value())
                .setExpectedSubject(id.value())
                .setExpectedAudience(audiences)
                .setRequireExpirationTime()
                .setMaxFutureValidityInMinutes(5)
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds(skewSeconds)
                .build();
    }

    /**
     * The key named by the assertion's {@code kid}. When the kid names none of the client's keys (or there is
     * none), the first of the client's keys of the alg's type whose signature verifies: some clients send a
     * random kid (Spring's docs example does). Bounded: at most {@link #MAX_TRIED} keys, and an inline set
     * holds at most 10. Unresolvable when no key verifies, so that a JWKS URL's set is refetched once.
     */
    private static VerificationKeyResolver resolver(List<JsonWebKey> keys) {
        return (jws, nesting) -> {
            String kid = jws.getKeyIdHeaderValue();
            List<JsonWebKey> named = kid == null ? List.of() : keys.stream().filter(k -> kid.equals(k.getKeyId())).toList();
            if (!named.isEmpty()) {
                return named.get(0).getKey(); // a wrong signature by the named key is a failure, not a reason to try others
            }
            String type = switch (String.valueOf(jws.getAlgorithmHeaderValue())) {
                case AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_PSS_USING_SHA256 -> "RSA";
                case AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256 -> "EC";
                default -> throw new UnresolvableKeyException("No key for this alg");
            };
            for (JsonWebKey k : keys.stream().filter(k -> type.equals(k.getKeyType())).limit(MAX_TRIED).toList()) {
                try {
                    // As jose4j's own disambiguation does: a new key clears the verdict cached in the JWS.
                    jws.setAlgorithmConstraints(ASSERTION_ALGS);
                    jws.setKey(k.getKey());
                    if (jws.verifySignature()) {
                        return k.getKey();
                    }
                } catch (JoseException e) {
                    // not this key
                }
            }
            throw new UnresolvableKeyException("No key of the client verifies the assertion");
        };
    }

    private static boolean unresolvable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnresolvableKeyException) {
                return true;
            }
        }
        return false;
    }

    /** The client an assertion claims to be (iss, which must equal sub and any client_id parameter). */
    private static ClientId assertedClient(PresentedClient presented) {
        try {
            JwtContext context = UNVERIFIED.process(presented.assertion());
            JwtClaims claims = context.getJwtClaims();
            ClientId iss = ClientId.parse(claims.getIssuer());
            if (iss == null || !iss.value().equals(claims.getSubject())
                    || (presented.id() != null && !presented.id().equals(iss))) {
                throw OAuthError.invalidClient();
            }
            return iss;
        } catch (InvalidJwtException | MalformedClaimException e) {
            throw OAuthError.invalidClient();
        }
    }
}
