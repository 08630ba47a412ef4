package dev.sigil.mfa;

import dev.sigil.config.SigilConfig;
import dev.sigil.crypto.Digests;
import dev.sigil.id.UserId;
import dev.sigil.redis.LuaScript;
import dev.sigil.redis.ReplicaAck;
import dev.sigil.user.UserSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** Second-factor state in Redis: accepted TOTP steps (replay), pending logins' mfa_tokens and enrolment tickets. */
@ApplicationScoped
public class MfaRedis {

    /** How long an mfa_token lives, and how many codes it may try. */
    public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);
    public static final int TOKEN_ATTEMPTS = 5;
    /** A step is remembered past the window that could still accept its code (±1 step). */
    private static final long USED_STEP_MS = Totp.STEP.multipliedBy(4).toMillis();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ReactiveRedisDataSource redis;
    private final LuaScript attemptScript;
    private final LuaScript issueScript;
    private final LuaScript ticketScript;
    /**
     * Replica acknowledgements (sigil.redis.wait-replicas) for what guards against replays: a used step, an
     * mfa_token's attempts and its consumption, an enrolment ticket's use. A failover that lost one would let a
     * code, a token or a ticket be used again. A lost issued token needs none: the user logs in again.
     */
    private final ReplicaAck ack;

    public MfaRedis(ReactiveRedisDataSource redis, SigilConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.ack = new ReplicaAck(config.redis().waitReplicas(), config.redis().waitTimeout());
        this.attemptScript = new LuaScript("mfa-token-attempt", registry);
        this.issueScript = new LuaScript("mfa-token-issue", registry);
        this.ticketScript = new LuaScript("mfa-ticket-consume", registry);
    }

    /** Accepts {@code step} for {@code user} once: false when it was already accepted (a replayed code). */
    public Uni<Boolean> acceptStepOnce(UserId user, long step) {
        return ack.write(redis, Request.cmd(Command.SET).arg(MfaKeys.usedStep(user, step)).arg("1").arg("NX").arg("PX").arg(USED_STEP_MS))
                .map(r -> r != null);
    }

    /**
     * A new mfa_token (256 random bits, base64url) for {@code checked}, the user as a password check that passed
     * read it; only the token's SHA-256 is stored.
     */
    public Uni<String> issue(UserSnapshot checked) {
        String token = randomToken();
        String key = MfaKeys.mfaToken(digest(token));
        return issueScript.run(redis, List.of(key), List.of(checked.id().toString(), checked.toJson(),
                        Integer.toString(TOKEN_ATTEMPTS), Long.toString(TOKEN_LIFETIME.toMillis())))
                .replaceWith(token);
    }

    /**
     * Reserves one attempt of {@code token}: the user its password check read; null when the token is malformed,
     * unknown, expired or out of attempts.
     */
    public Uni<UserSnapshot> attempt(String token) {
        if (!wellFormed(token)) {
            return Uni.createFrom().nullItem();
        }
        return attemptScript.run(redis, List.of(MfaKeys.mfaToken(digest(token))), List.of(), ack)
                .map(r -> {
                    if (r == null || r.size() < 2) {
                        return null;
                    }
                    return UserId.parse(r.get(0).toString()).map(id -> UserSnapshot.fromJson(id, r.get(1).toString())).orElse(null);
                });
    }

    /** The user of a live mfa_token, without using an attempt (for the options of its passkey); null when it is dead. */
    public Uni<UserId> peek(String token) {
        if (!wellFormed(token)) {
            return Uni.createFrom().nullItem();
        }
        return dev.sigil.error.Outages.redis(redis.getRedis().send(Request.cmd(Command.HGET).arg(MfaKeys.mfaToken(digest(token))).arg("uid")))
                .map(r -> r == null ? null : UserId.parse(r.toString()).orElse(null));
    }

    /** Uses up {@code token}: true for the one caller that deleted it (a login completes once). */
    public Uni<Boolean> consume(String token) {
        return ack.write(redis, Request.cmd(Command.DEL).arg(MfaKeys.mfaToken(digest(token)))).map(r -> r.toLong() == 1);
    }

    /**
     * A new enrolment ticket for {@code user} (256 random bits, base64url), replacing any earlier one; only its
     * SHA-256 is stored, under the user's hash tag, for {@code lifetime}.
     */
    public Uni<String> issueTicket(UserId user, Duration lifetime) {
        String ticket = randomToken();
        return ack.write(redis, Request.cmd(Command.SET).arg(MfaKeys.enrolmentTicket(user)).arg(digest(ticket))
                .arg("PX").arg(lifetime.toMillis())).replaceWith(ticket);
    }

    /**
     * Uses up {@code user}'s enrolment ticket if {@code ticket} is it: true once (compared and deleted in one
     * script, acknowledged like the other replay guards); false for a malformed, wrong, used or expired ticket.
     */
    public Uni<Boolean> consumeTicket(UserId user, String ticket) {
        if (!wellFormed(ticket)) {
            return Uni.createFrom().item(false);
        }
        return ticketScript.run(redis, List.of(MfaKeys.enrolmentTicket(user)), List.of(digest(ticket)), ack)
                .map(r -> r.toLong() == 1);
    }

    private static boolean wellFormed(String token) {
        return token != null && token.matches("[A-Za-z0-9_-]{43}");
    }

    private static String randomToken() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static String digest(String token) {
        return Digests.sha256Url(token.getBytes(StandardCharsets.US_ASCII));
    }
}
