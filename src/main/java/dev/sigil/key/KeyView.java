package dev.sigil.key;

import dev.sigil.crypto.Digests;
import io.vertx.core.buffer.Buffer;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys as they stand at one instant: the active key, every published key (active, next, and
 * retired ones still covering unexpired tokens), the JWKS bytes (a buffer every response reuses) and ETag prepared once, and the
 * instant at which this view stops being true.
 */
public record KeyView(SigningKey active, List<SigningKey> published, Map<String, SigningKey> byKid,
                      Buffer jwksBuffer, String etag, Instant validUntil) {

    static KeyView at(List<SigningKey> keys, Instant now, Duration retention) {
        SigningKey active = null;
        int activeIndex = -1;
        for (int i = 0; i < keys.size(); i++) {
            if (!keys.get(i).activatesAt().isAfter(now)) {
                active = keys.get(i);
                activeIndex = i;
            }
        }
        if (active == null) {
            throw new IllegalStateException("No signing key has an activation instant in the past");
        }
        Instant validUntil = Instant.MAX;
        List<SigningKey> published = new ArrayList<>();
        published.add(active);
        for (int i = activeIndex + 1; i < keys.size(); i++) { // next keys: published ahead of activation
            published.add(keys.get(i));
            validUntil = min(validUntil, keys.get(i).activatesAt());
        }
        for (int i = activeIndex - 1; i >= 0; i--) { // retired keys: until their last token has expired
            Instant dropAt = keys.get(i + 1).activatesAt().plus(retention);
            if (now.isBefore(dropAt)) {
                published.add(keys.get(i));
                validUntil = min(validUntil, dropAt);
            }
        }
        Map<String, SigningKey> byKid = new LinkedHashMap<>();
        published.forEach(k -> byKid.put(k.kid(), k));
        byte[] jwks = jwks(published);
        return new KeyView(active, List.copyOf(published), Map.copyOf(byKid), Buffer.buffer(jwks), Digests.etag(jwks), validUntil);
    }

    /**
     * The key that signs at {@code instant}: the newest published key whose activation is not after it.
     * A caller that takes {@code iat} from the same instant can never pair a new kid with an earlier iat,
     * even when another thread has already moved the ring's view past an activation.
     */
    public SigningKey activeAt(Instant instant) {
        SigningKey best = null;
        for (SigningKey k : published) {
            if (!k.activatesAt().isAfter(instant) && (best == null || k.activatesAt().isAfter(best.activatesAt()))) {
                best = k;
            }
        }
        return best == null ? active : best;
    }

    /** The JWK Set (RFC 7517) of {@code keys}, public members only (jose4j never writes d, p, q, dp, dq, qi here). */
    private static byte[] jwks(List<SigningKey> keys) {
        JsonWebKeySet set = new JsonWebKeySet();
        for (SigningKey k : keys) {
            RsaJsonWebKey jwk = new RsaJsonWebKey(k.publicKey());
            jwk.setKeyId(k.kid());
            jwk.setUse("sig");
            jwk.setAlgorithm("RS256");
            set.addJsonWebKey(jwk);
        }
        return set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY).getBytes(StandardCharsets.UTF_8);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
