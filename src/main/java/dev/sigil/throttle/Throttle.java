package dev.sigil.throttle;

import dev.sigil.audit.Audit;
import dev.sigil.config.SigilConfig;
import dev.sigil.id.ClientId;
import dev.sigil.redis.LuaScript;
import io.micrometer.core.instrument.MeterRegistry;
import dev.sigil.web.ErrorCode;
import dev.sigil.web.Outages;
import dev.sigil.web.SigilException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Brute-force throttling shared by all replicas through Redis: a rate limit per client address on
 * login and registration attempts, growing lockouts per (username, address) after repeated failures,
 * and a ceiling of failures per username from all addresses. Refusals are 429 {@code rate_limited}
 * with Retry-After. Keys live under {@code sigil:rl:} and expire by themselves; usernames are stored
 * hashed. Lockouts are keyed by the name as typed, so they say nothing about whether a user exists.
 */
@ApplicationScoped
public class Throttle {

    private final LuaScript attemptScript;
    private final LuaScript gateScript;
    private final LuaScript failedScript;

    private final ReactiveRedisDataSource redis;
    private final SigilConfig.RateLimits limits;
    private final Audit audit;

    public Throttle(ReactiveRedisDataSource redis, SigilConfig config, Audit audit, MeterRegistry registry) {
        this.redis = redis;
        this.attemptScript = new LuaScript("rate-attempt", registry);
        this.gateScript = new LuaScript("login-gate", registry);
        this.failedScript = new LuaScript("login-failed", registry);
        this.limits = config.rateLimits();
        this.audit = audit;
    }

    /** Counts a login attempt and refuses it if the address or the username is over its limit. */
    public Uni<Void> beforeLogin(String username, String address) {
        String user = userTag(username);
        return attempt(address).chain(() -> refuseIfWaiting(gateScript.run(redis, List.of(pairKey(user, address), userKey(user)),
                List.of(Integer.toString(limits.perUsername()))), true));
    }

    /** Counts a registration attempt against the address's limit. */
    public Uni<Void> beforeRegistration(String address) {
        return attempt(address);
    }

    public Uni<Void> loginFailed(String username, String address) {
        String user = userTag(username);
        return Outages.guard("redis", failedScript.run(redis, List.of(pairKey(user, address), userKey(user)), List.of(
                Integer.toString(limits.lockoutThreshold()), Long.toString(limits.lockoutBase().toMillis()),
                Long.toString(limits.lockoutMax().toMillis()), Long.toString(limits.failureWindow().toMillis()))))
                .invoke(wait -> {
                    if (wait.toLong() > 0) {
                        audit.event("lockout", "started").ip(address).with("wait_ms", wait.toLong()).log();
                    }
                })
                .replaceWithVoid();
    }

    /** A success resets the (username, address) failures. */
    public Uni<Void> loginSucceeded(String username, String address) {
        return Outages.guard("redis", redis.execute(Command.DEL, pairKey(userTag(username), address))).replaceWithVoid();
    }

    /**
     * OAuth client authentication: the lockout of (client, address) after repeated failures, as for a
     * login. No per-address attempt count (it would cap a busy service's grants) and no ceiling per
     * client from all addresses (anyone could then lock a service out of its tokens; a 256-bit secret
     * cannot be guessed anyway). Client ids live in their own namespace: usernames have no ':'.
     */
    public Uni<Void> beforeClientAuthentication(ClientId client, String address) {
        String tag = userTag("client:" + client.value());
        return refuseIfWaiting(gateScript.run(redis, List.of(pairKey(tag, address), userKey(tag)),
                List.of(Integer.toString(Integer.MAX_VALUE))), true);
    }

    /** A failed client authentication counts towards the (client, address) lockout. */
    public Uni<Void> clientAuthenticationFailed(ClientId client, String address) {
        return loginFailed("client:" + client.value(), address);
    }

    private Uni<Void> attempt(String address) {
        return refuseIfWaiting(attemptScript.run(redis, List.of("sigil:rl:addr:{" + address + "}"),
                List.of(Integer.toString(limits.perAddress()), Long.toString(limits.addressWindow().toMillis()))), false);
    }

    /** 429 rate_limited; {@code lockout} tells a locked username (metrics) from an address over its limit. */
    public static final class Refused extends SigilException {
        public final boolean lockout;

        Refused(long waitMs, boolean lockout) {
            super(ErrorCode.RATE_LIMITED, "Too many attempts; retry later", Math.max(1, (waitMs + 999) / 1000));
            this.lockout = lockout;
        }
    }

    private static Uni<Void> refuseIfWaiting(Uni<io.vertx.mutiny.redis.client.Response> check, boolean lockout) {
        return Outages.guard("redis", check).map(r -> {
            long waitMs = r.toLong();
            if (waitMs > 0) {
                throw new Refused(waitMs, lockout);
            }
            return null;
        });
    }

    /** Both keys of one username share its hash tag, so the gate and the failure record are one-slot scripts. */
    private static String pairKey(String userTag, String address) {
        return "sigil:rl:{" + userTag + "}:fail:" + address;
    }

    private static String userKey(String userTag) {
        return "sigil:rl:{" + userTag + "}:user";
    }

    private static String userTag(String username) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(username.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
