package dev.sigil.client;

import dev.sigil.config.SigilConfig;
import dev.sigil.id.ClientId;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Client records kept in memory, so that client authentication (token endpoint and introspection) does not
 * read PostgreSQL on every call. A record is used only under the version of the client's record it was read
 * after (see {@link ClientTokenStore}): an admin change sets a new version once it commits, so the very next
 * authentication, on any replica, reads PostgreSQL again. Entries also age out after
 * {@code sigil.clients.caller-cache-ttl}, a backstop only. Bounded: when full, it is cleared rather than grown.
 */
@ApplicationScoped
public class ClientCache {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry(RegisteredClient client, String version, long loadedAtNanos) {
    }

    /** A cached record and the version it was read after. */
    public record Cached(RegisteredClient client, String version) {
    }

    private final ConcurrentHashMap<ClientId, Entry> entries = new ConcurrentHashMap<>();
    private final ClientDirectory directory;
    private final long ttlNanos;

    public ClientCache(ClientDirectory directory, SigilConfig config) {
        this.directory = directory;
        this.ttlNanos = config.clients().callerCacheTtl().toNanos();
    }

    /**
     * The client as of {@code version} (read from Redis before this call; empty while an admin change of
     * the client is in flight: read, never cached), from memory when cached under that very version; null
     * when there is none. A record read now is at least as new as {@code version}.
     */
    public Uni<RegisteredClient> get(ClientId id, String version) {
        Entry e = entries.get(id);
        if (e != null && e.version().equals(version) && System.nanoTime() - e.loadedAtNanos() < ttlNanos) {
            return Uni.createFrom().item(e.client());
        }
        return directory.registered(id).invoke(c -> {
            if (c == null || version.isEmpty()) {
                entries.remove(id);
                return;
            }
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(id, new Entry(c, version, System.nanoTime()));
        });
    }

    /**
     * The cached record, without asking anyone whether it is still current (null when none, or aged out):
     * only for a check whose result counts once Redis confirms {@code version} (see Throttle#clientCheck).
     */
    public Cached peek(ClientId id) {
        Entry e = entries.get(id);
        return e != null && System.nanoTime() - e.loadedAtNanos() < ttlNanos ? new Cached(e.client(), e.version()) : null;
    }

    void forget(ClientId id) {
        entries.remove(id);
    }
}
