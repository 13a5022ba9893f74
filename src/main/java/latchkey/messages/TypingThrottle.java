package latchkey.messages;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets one typing notice per user and room through every {@link #INTERVAL}: a client that sends
 * one per keystroke costs the other members nothing more. Entries older than the interval are
 * swept when the table grows, so memory stays bounded by the users typing right now.
 */
final class TypingThrottle {
    static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final int SWEEP_AT = 10_000;

    private record Key(long roomId, long userId) {
    }

    private final ConcurrentHashMap<Key, Long> lastRelayed = new ConcurrentHashMap<>();
    private final Clock clock;

    TypingThrottle(Clock clock) {
        this.clock = clock;
    }

    /** True when this notice should be relayed, and counts it. */
    boolean allow(long roomId, long userId) {
        long now = clock.millis();
        long interval = INTERVAL.toMillis();
        if (lastRelayed.size() >= SWEEP_AT) lastRelayed.values().removeIf(at -> now - at >= interval);
        boolean[] allowed = {false};
        lastRelayed.compute(new Key(roomId, userId), (key, at) -> {
            if (at != null && now - at < interval) return at;
            allowed[0] = true;
            return now;
        });
        return allowed[0];
    }
}
