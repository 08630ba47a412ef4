package dev.sigil.redis;

import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.quarkus.redis.runtime.client.config.RedisConfig;
import io.vertx.redis.client.RedisOptions;
import jakarta.inject.Singleton;

/**
 * Keeps the options Quarkus built for its default Redis client (hosts or hosts provider, client type, Sentinel
 * master, password, TLS, pool), so that {@link RedisReads} creates its client from the very same: operators
 * configure Redis once, through {@code quarkus.redis.*}. Changes nothing. Quarkus calls every customizer
 * while it creates its clients at start-up, before any bean of Sigil's uses Redis.
 */
@Singleton
public class DefaultRedisOptions implements RedisOptionsCustomizer {

    private volatile RedisOptions options;

    @Override
    public void customize(String clientName, RedisOptions options) {
        if (RedisConfig.DEFAULT_CLIENT_NAME.equals(clientName)) {
            // The object itself, not a copy: customizers called after this one still change it.
            this.options = options;
        }
    }

    /** A copy of the default client's options, free to change. */
    RedisOptions copy() {
        RedisOptions o = options;
        if (o == null) {
            throw new IllegalStateException("Quarkus created no default Redis client (quarkus.redis.hosts); Sigil needs one");
        }
        // The copy constructor shares the endpoint list and the TCP options: copy those too.
        return new RedisOptions(o).setEndpoints(new java.util.ArrayList<>(o.getEndpoints()))
                .setNetClientOptions(new io.vertx.core.net.NetClientOptions(o.getNetClientOptions()));
    }
}
