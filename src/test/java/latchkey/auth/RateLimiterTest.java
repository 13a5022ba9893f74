package latchkey.auth;

import latchkey.support.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {
    private final MutableClock clock = new MutableClock();

    @Test
    void refusesPastTheLimitUntilTheWindowEnds() {
        RateLimiter limiter = new RateLimiter(3, Duration.ofMinutes(15), clock);
        for (int i = 0; i < 3; i++) assertEquals(0, limiter.tryAcquire("k"));
        assertEquals(15 * 60, limiter.tryAcquire("k"));
        clock.advance(Duration.ofMinutes(10).plusMillis(1));
        assertEquals(5 * 60, limiter.tryAcquire("k"), "rounded up to whole seconds");
        clock.advance(Duration.ofMinutes(5));
        assertEquals(0, limiter.tryAcquire("k"));
    }

    @Test
    void releaseGivesBackOneAttemptAndResetAll() {
        RateLimiter limiter = new RateLimiter(2, Duration.ofMinutes(1), clock);
        limiter.tryAcquire("k");
        limiter.tryAcquire("k");
        limiter.release("k");
        assertEquals(0, limiter.tryAcquire("k"));
        assertTrue(limiter.tryAcquire("k") > 0);
        limiter.reset("k");
        assertEquals(0, limiter.tryAcquire("k"));
        assertEquals(0, limiter.tryAcquire("k"));
    }

    @Test
    void aFloodOfDistinctKeysKeepsTheTableBounded() {
        RateLimiter limiter = new RateLimiter(10, Duration.ofMinutes(15), clock);
        for (int i = 0; i < 3 * RateLimiter.MAX_KEYS; i++) {
            limiter.tryAcquire("10.0." + i);
            assertTrue(limiter.size() <= RateLimiter.MAX_KEYS, "size " + limiter.size() + " after " + i);
        }
    }

    @Test
    void aFloodOfDistinctKeysCanNotWashOutALock() {
        RateLimiter limiter = new RateLimiter(3, Duration.ofMinutes(15), clock);
        for (int i = 0; i < 3; i++) limiter.tryAcquire("victim");
        for (int i = 0; i < 3 * RateLimiter.MAX_KEYS; i++) limiter.tryAcquire("flood-" + i);
        assertTrue(limiter.tryAcquire("victim") > 0, "the lock survived");
    }

    @Test
    void aFloodOfKeysThatAreAllLockedStaysBoundedAndCheap() {
        // With a limit of 1 every new key is locked at once: nothing is "under the limit" to drop.
        RateLimiter limiter = new RateLimiter(1, Duration.ofMinutes(15), clock);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 3 * RateLimiter.MAX_KEYS; i++) {
                limiter.tryAcquire("locked-" + i);
                assertTrue(limiter.size() <= RateLimiter.MAX_KEYS, "size " + limiter.size() + " after " + i);
            }
        });
        // The newest locks are the ones kept.
        assertTrue(limiter.tryAcquire("locked-" + (3 * RateLimiter.MAX_KEYS - 1)) > 0);
    }

    @Test
    void expiredWindowsAreDroppedFirst() {
        RateLimiter limiter = new RateLimiter(1, Duration.ofMinutes(1), clock);
        for (int i = 0; i < RateLimiter.MAX_KEYS; i++) limiter.tryAcquire("old-" + i);
        clock.advance(Duration.ofMinutes(2));
        limiter.tryAcquire("new");
        assertTrue(limiter.size() < 10, "size " + limiter.size());
    }
}
