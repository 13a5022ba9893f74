package latchkey.sessions;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Session-and-user rows for the access check, kept in memory so that a protected request costs
 * no database lookup. Every write that ends a session or changes a user calls {@link #invalidate()}
 * (or {@link #forget(long)}), so revocation still takes effect at once in this process. Entries also
 * age out after {@link #MAX_AGE_NANOS}, which bounds how long a change made by another process
 * (the {@code grant-admin} command) takes to show.
 */
public final class AccessCache {
    static final long MAX_AGE_NANOS = 5_000_000_000L;
    private static final int MAX_ENTRIES = 50_000;

    private record Entry(SessionDao.AccessRow row, long loadedAt) {
    }

    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();
    /** Bumped by every invalidation; a load that raced one is not kept. */
    private final AtomicLong generation = new AtomicLong();

    Optional<SessionDao.AccessRow> get(long sessionId, Supplier<Optional<SessionDao.AccessRow>> loader) {
        long now = System.nanoTime();
        Entry cached = entries.get(sessionId);
        if (cached != null && now - cached.loadedAt() < MAX_AGE_NANOS) return Optional.of(cached.row());
        long seen = generation.get();
        Optional<SessionDao.AccessRow> loaded = loader.get();
        if (loaded.isPresent()) {
            if (entries.size() >= MAX_ENTRIES) entries.clear();
            entries.put(sessionId, new Entry(loaded.get(), now));
            // Checked after the put: either this sees the invalidation, or the invalidation sees the entry.
            if (generation.get() != seen) entries.remove(sessionId);
        }
        return loaded;
    }

    public void invalidate() {
        generation.incrementAndGet();
        entries.clear();
    }

    void forget(long sessionId) {
        generation.incrementAndGet();
        entries.remove(sessionId);
    }
}
