package latchkey.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed-window counters by key (an account's login name, a client IP). Memory is bounded: when
 * the table is full, expired windows go first, then keys still under the limit, so a flood of new
 * keys can not wash out a lock. Only when locks alone fill the table do the oldest locks (the
 * first to expire anyway) go. Each clean-up leaves room for a tenth of the table, so a flood
 * pays for a scan once per {@code MAX_KEYS / 10} new keys, not on every request.
 */
public final class RateLimiter implements AttemptLimit {
    static final int MAX_KEYS = 100_000;
    private static final int AFTER_CLEAN_UP = MAX_KEYS - MAX_KEYS / 10;

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
    @Override
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
    @Override
    public void release(String key) {
        windows.computeIfPresent(key, (k, w) -> w.count() <= 1 ? null : new Window(w.startMillis(), w.count() - 1));
    }

    @Override
    public void reset(String key) {
        windows.remove(key);
    }

    int size() {
        return windows.size();
    }

    private synchronized void makeRoom(long now) {
        if (windows.size() < MAX_KEYS) return;
        windows.values().removeIf(w -> now - w.startMillis() >= windowMillis);
        if (windows.size() > AFTER_CLEAN_UP) windows.values().removeIf(w -> w.count() < limit);
        int excess = windows.size() - AFTER_CLEAN_UP;
        if (excess > 0) {
            windows.entrySet().stream()
                    .sorted(Comparator.comparingLong(e -> e.getValue().startMillis()))
                    .limit(excess)
                    .map(Map.Entry::getKey)
                    .toList()
                    .forEach(windows::remove);
        }
    }
}
