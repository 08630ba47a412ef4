package dev.sigil.client;

import dev.sigil.config.SigilConfig;
import dev.sigil.id.ClientId;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Client records kept in memory for a few seconds ({@code sigil.clients.caller-cache-ttl}), so that
 * authenticating an introspection caller does not read PostgreSQL on every call. Only introspection
 * uses it: the token endpoint always reads the database, so a disabled client never gets a new token.
 * Changes made on this replica drop the entry at once; other replicas see them within the TTL.
 * Bounded: when full, it is cleared rather than grown.
 */
@ApplicationScoped
public class ClientCache {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry(RegisteredClient client, long loadedAtNanos) {
    }

    private final ConcurrentHashMap<ClientId, Entry> entries = new ConcurrentHashMap<>();
    private final ClientDirectory directory;
    private final long ttlNanos;

    public ClientCache(ClientDirectory directory, SigilConfig config) {
        this.directory = directory;
        this.ttlNanos = config.clients().callerCacheTtl().toNanos();
    }

    /** The client, from memory when fresh; null when there is none. */
    public Uni<RegisteredClient> get(ClientId id) {
        Entry e = entries.get(id);
        if (e != null && System.nanoTime() - e.loadedAtNanos() < ttlNanos) {
            return Uni.createFrom().item(e.client());
        }
        return directory.registered(id).invoke(c -> {
            if (c == null) {
                entries.remove(id);
                return;
            }
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(id, new Entry(c, System.nanoTime()));
        });
    }

    void forget(ClientId id) {
        entries.remove(id);
    }
}
