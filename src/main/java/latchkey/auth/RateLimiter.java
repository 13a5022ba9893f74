package latchkey.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed-window counters by key (an account's login name, a client IP). Memory is bounded: when
 * the table is full, expired windows go first, then keys still under the limit; keys that are
 * locked out stay, so a flood of new keys can not wash out a lock.
 */
public final class RateLimiter {
    static final int MAX_KEYS = 100_000;

    private record Window(long startMillis, int count) {
    }

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final int limit;
    private final long windowMillis;
    private final Clock clock;

    public RateLimiter(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    /**
     * Counts one attempt against {@code key} and returns 0, or refuses it (counting nothing) and
     * returns the seconds until the window ends. Counting before the work is done means that
     * parallel attempts can not slip past the limit.
     */
    public long tryAcquire(String key) {
        long now = clock.millis();
        if (windows.size() >= MAX_KEYS && !windows.containsKey(key)) makeRoom(now);
        long[] refusedFor = {0};
        windows.compute(key, (k, w) -> {
            if (w == null || now - w.startMillis() >= windowMillis) return new Window(now, 1);
            if (w.count() >= limit) {
                refusedFor[0] = Math.max(1, (w.startMillis() + windowMillis - now + 999) / 1000);
                return w;
            }
            return new Window(w.startMillis(), w.count() + 1);
        });
        return refusedFor[0];
    }

    /** Gives back an attempt that turned out not to count (a successful login, for the IP). */
    public void release(String key) {
        windows.computeIfPresent(key, (k, w) -> w.count() <= 1 ? null : new Window(w.startMillis(), w.count() - 1));
    }

    public void reset(String key) {
        windows.remove(key);
    }

    int size() {
        return windows.size();
    }

    private void makeRoom(long now) {
        windows.values().removeIf(w -> now - w.startMillis() >= windowMillis);
        if (windows.size() >= MAX_KEYS) windows.values().removeIf(w -> w.count() < limit);
    }
}
