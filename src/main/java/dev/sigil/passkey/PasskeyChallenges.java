package dev.sigil.passkey;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.config.SigilConfig;
import dev.sigil.error.Outages;
import dev.sigil.redis.ReplicaAck;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/**
 * Ceremony challenges in Redis: one key per ceremony, written with its lifetime in one SET and taken with
 * GETDEL, so each is answered at most once, by whoever takes it first, whatever the answer's outcome. The key
 * holds the ceremony's kind and user: a challenge of one ceremony or user never verifies another's.
 * <pre>
 * sigil:wac:{ceremony}   string  {"k": kind, "u": user id or "", "n": username or "", "c": challenge (base64url)};
 *                                sigil.webauthn.challenge-lifetime
 * </pre>
 * A ceremony names no user until it is read (a passwordless sign-in knows none), so, like an mfa_token, its key
 * is its own slot. Unauthenticated ceremonies are bounded by their lifetime and the per-address login rate.
 */
@ApplicationScoped
public class PasskeyChallenges {

    /** What a ceremony is for; a challenge answers only its own kind. */
    public enum Kind { REGISTER, SIGN_IN, SECOND_FACTOR, STEP_UP }

    /** A taken ceremony. {@code user} is null for a passwordless sign-in; {@code username} set only when the page named one. */
    public record Pending(Kind kind, UUID user, String username, byte[] challenge) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReactiveRedisDataSource redis;
    private final Duration lifetime;
    /** Taking a challenge guards against replay: like the mfa_token's use, it waits for sigil.redis.wait-replicas. */
    private final ReplicaAck ack;

    public PasskeyChallenges(ReactiveRedisDataSource redis, SigilConfig config) {
        this.redis = redis;
        this.lifetime = config.webauthn().challengeLifetime();
        this.ack = new ReplicaAck(config.redis().waitReplicas(), config.redis().waitTimeout());
    }

    /** Stores a new ceremony; returns its id (256 random bits, base64url). */
    public Uni<String> open(Kind kind, UUID user, String username, byte[] challenge) {
        String ceremony = WebAuthnCeremonies.b64(WebAuthnCeremonies.newChallenge());
        String value;
        try {
            value = JSON.writeValueAsString(java.util.Map.of("k", kind.name(), "u", user == null ? "" : user.toString(),
                    "n", username == null ? "" : username, "c", WebAuthnCeremonies.b64(challenge)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Outages.redis(redis.getRedis().send(Request.cmd(Command.SET).arg(key(ceremony)).arg(value)
                .arg("PX").arg(lifetime.toMillis()))).replaceWith(ceremony);
    }

    /** Takes (and so ends) a ceremony of {@code kind}; null when it is malformed, unknown, expired, used or of another kind. */
    public Uni<Pending> take(String ceremony, Kind kind) {
        if (ceremony == null || !ceremony.matches("[A-Za-z0-9_-]{43}")) {
            return Uni.createFrom().nullItem();
        }
        return ack.write(redis, Request.cmd(Command.GETDEL).arg(key(ceremony))).map(r -> {
            if (r == null) {
                return null;
            }
            try {
                var node = JSON.readTree(r.toString());
                if (!kind.name().equals(node.path("k").asText())) {
                    return null;
                }
                String u = node.path("u").asText();
                String n = node.path("n").asText();
                return new Pending(kind, u.isEmpty() ? null : UUID.fromString(u), n.isEmpty() ? null : n,
                        Base64.getUrlDecoder().decode(node.path("c").asText()));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                return null;
            }
        });
    }

    public Duration lifetime() {
        return lifetime;
    }

    static String key(String ceremony) {
        return "sigil:wac:" + ceremony;
    }
}
