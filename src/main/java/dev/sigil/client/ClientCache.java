package dev.sigil.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sigil.config.SigilConfig;
import dev.sigil.id.ClientId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Client records kept in memory, so that client authentication (token endpoint and introspection) does not
 * read PostgreSQL on every call. A record is used only under the version of the client's record it was read
 * after (see {@link ClientTokenStore}): an admin change sets a new version once it commits, so the very next
 * authentication, on any replica, reads PostgreSQL again. Entries also age out after
 * {@code sigil.clients.caller-cache-ttl}, a backstop only. Bounded ({@link #MAX_ENTRIES}): when full, Caffeine
 * evicts the entries least likely to be used again, one at a time. Both caches report to Micrometer
 * ({@code cache_*} metrics with {@code cache="client-records"} and {@code cache="client-unknown-ids"}).
 * <p>
 * Ids that Redis holds no version for and PostgreSQL no client for are remembered apart, in a bounded
 * negative cache ({@link #UNKNOWN_ENTRIES} ids for {@link #UNKNOWN_TTL}): a caller repeating a made-up id costs
 * neither a PostgreSQL read nor Redis state. It is consulted only while Redis holds no version for the id, and
 * creating a client sets one, so a new client is never refused for it.
 */
@ApplicationScoped
@Startup // its cache metrics are exported from the start, not from the first client call
public class ClientCache {

    static final int MAX_ENTRIES = 10_000;
    static final int UNKNOWN_ENTRIES = 10_000;
    static final Duration UNKNOWN_TTL = Duration.ofMinutes(1);

    /** A cached record and the version it was read after; in the cache, {@code client} null: no such client under it. */
    public record Cached(RegisteredClient client, String version) {
    }

    private final Cache<ClientId, Cached> entries;
    private final Cache<ClientId, Boolean> unknown;
    private final ClientDirectory directory;
    private final ClientTokenStore tokens;

    public ClientCache(ClientDirectory directory, ClientTokenStore tokens, SigilConfig config, MeterRegistry registry) {
        this.directory = directory;
        this.tokens = tokens;
        // Caffeine holds no null, so "no client" is a Cached without one; an expired entry is never returned.
        this.entries = CaffeineCacheMetrics.monitor(registry, Caffeine.newBuilder().maximumSize(MAX_ENTRIES)
                .expireAfterWrite(config.clients().callerCacheTtl()).recordStats().<ClientId, Cached>build(), "client-records");
        this.unknown = CaffeineCacheMetrics.monitor(registry, Caffeine.newBuilder().maximumSize(UNKNOWN_ENTRIES)
                .expireAfterWrite(UNKNOWN_TTL).recordStats().<ClientId, Boolean>build(), "client-unknown-ids");
    }

    /** The client as of {@code version}, a version Redis holds or empty (a change in flight): see below. */
    public Uni<RegisteredClient> get(ClientId id, String version) {
        return get(java.util.Objects.requireNonNull(id), java.util.Objects.requireNonNull(version), null);
    }

    /**
     * The client as of {@code version} (read from Redis before this call), from memory when cached under that
     * very version; null when there is none. {@code version} is empty while an admin change of the client is in
     * flight (read, never cached) and null when Redis holds none: then the id is either known to name no
     * client (the negative cache) or looked up after {@code beforeLookup} allowed it (the address's allowance
     * of failures, see Throttle.ClientGate#beforeLookup); a client found so gets a version. A record read now is at
     * least as new as {@code version}.
     */
    public Uni<RegisteredClient> get(ClientId id, String version, Supplier<Uni<Void>> beforeLookup) {
        if (version == null) {
            return unversioned(id, beforeLookup);
        }
        Cached e = entries.getIfPresent(id);
        if (e != null && e.version().equals(version)) {
            return Uni.createFrom().item(e.client());
        }
        return directory.registered(id).invoke(c -> {
            if (version.isEmpty()) {
                entries.invalidate(id);
            } else {
                put(id, c, version);
            }
        });
    }

    private Uni<RegisteredClient> unversioned(ClientId id, Supplier<Uni<Void>> beforeLookup) {
        if (unknown.getIfPresent(id) != null) {
            return Uni.createFrom().nullItem();
        }
        return beforeLookup.get().chain(() -> directory.registered(id)).chain(c -> {
            if (c == null) {
                unknown.put(id, Boolean.TRUE);
                return Uni.createFrom().nullItem();
            }
            String fresh = UUID.randomUUID().toString();
            return tokens.initVersion(id, fresh).map(set -> {
                if (set) {
                    put(id, c, fresh);
                }
                return c;
            });
        });
    }

    private void put(ClientId id, RegisteredClient c, String version) {
        entries.put(id, new Cached(c, version));
    }

    /**
     * The cached record, without asking anyone whether it is still current (null when none, or aged out):
     * only for a check whose result counts once Redis confirms {@code version} (see ClientTokenStore#check).
     */
    public Cached peek(ClientId id) {
        // Counted as a use (most grants look only here): the eviction keeps the clients in use, and the hit rate
        // shows them. A miss here is followed by get(), so a client not cached counts two misses.
        Cached e = entries.getIfPresent(id);
        return e != null && e.client() != null ? e : null;
    }

    void forget(ClientId id) {
        entries.invalidate(id);
        unknown.invalidate(id);
    }
}
