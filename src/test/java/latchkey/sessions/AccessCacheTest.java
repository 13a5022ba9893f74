package latchkey.sessions;

import latchkey.users.UserRow;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One logout must not cost every other online user a database lookup. */
class AccessCacheTest {
    private final AccessCache cache = new AccessCache();
    private final AtomicInteger loads = new AtomicInteger();

    @Test
    void anEndedSessionIsForgottenAlone() {
        warm(1, 10);
        warm(2, 10);
        warm(3, 20);
        cache.apply(new AccessChange.SessionEnded(10, 1));
        assertEquals(2, cache.size());
        assertEquals(0, reloadsOf(2, 10) + reloadsOf(3, 20), "the other sessions are still cached");
        assertEquals(1, reloadsOf(1, 10), "the ended session is read again");
    }

    @Test
    void aUserChangeForgetsOnlyThatUsersSessions() {
        warm(1, 10);
        warm(2, 10);
        warm(3, 20);
        cache.apply(new AccessChange.SessionsEnded(10));
        assertEquals(1, cache.size());
        assertEquals(0, reloadsOf(3, 20));
        cache.apply(new AccessChange.UserChanged(20));
        assertEquals(1, reloadsOf(3, 20));
    }

    private void warm(long sessionId, long userId) {
        cache.get(sessionId, () -> Optional.of(row(userId)));
    }

    private int reloadsOf(long sessionId, long userId) {
        int before = loads.get();
        cache.get(sessionId, () -> {
            loads.incrementAndGet();
            return Optional.of(row(userId));
        });
        return loads.get() - before;
    }

    private static SessionDao.AccessRow row(long userId) {
        UserRow user = new UserRow(userId, "u" + userId + "@example.com", "u" + userId, "U", "hash", "user", false, 0, 0, 0, true, null);
        return new SessionDao.AccessRow(Long.MAX_VALUE, null, user);
    }
}
