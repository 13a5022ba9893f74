package latchkey.sessions;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Session-and-user rows for the access check, kept in memory so that a protected request costs
 * no database lookup. Every write that ends a session or changes a user publishes an
 * {@link AccessChange}, and the cache forgets just that session or that user's sessions, before the
 * write's caller gets its answer: revocation takes effect at once in this process, and one logout
 * costs the other users nothing. Entries also age out after {@link #MAX_AGE_NANOS}, which bounds how
 * long a change made by another process (the {@code grant-admin} command) takes to show. A minute,
 * not seconds: a chat user sends every few seconds to minutes, and each of those requests should
 * find its row here rather than in the database.
 */
public final class AccessCache {
    static final long MAX_AGE_NANOS = 60_000_000_000L;
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

    /** Subscribed to the event bus: forgets what the change names. */
    public void apply(AccessChange change) {
        // Bumped first: a load already under way may have read the row from before the change.
        generation.incrementAndGet();
        if (change instanceof AccessChange.SessionEnded ended) entries.remove(ended.sessionId());
        else forgetUser(change.userId());
    }

    /** A refreshed session's row (its new expiry) is read again on its next request. */
    void forget(long sessionId) {
        generation.incrementAndGet();
        entries.remove(sessionId);
    }

    int size() {
        return entries.size();
    }

    private void forgetUser(long userId) {
        entries.values().removeIf(entry -> entry.row().user().id() == userId);
    }
}
