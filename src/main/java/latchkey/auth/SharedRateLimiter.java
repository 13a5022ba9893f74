package latchkey.auth;

import latchkey.db.Database;

import java.time.Clock;
import java.time.Duration;

/**
 * The fixed windows of {@link RateLimiter}, counted in the database that several nodes share: an
 * attempt on any node counts against the same window. One write per attempt; the limits guard
 * logins and registrations, each of which costs a bcrypt hash anyway.
 */
final class SharedRateLimiter implements AttemptLimit {
    private final Database db;
    private final String name;
    private final int limit;
    private final long windowMillis;
    private final Clock clock;

    SharedRateLimiter(Database db, String name, int limit, Duration window, Clock clock) {
        this.db = db;
        this.name = name;
        this.limit = limit;
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    @Override
    public long tryAcquire(String key) {
        long now = clock.millis();
        RateWindowDao.Window window = db.writer().withExtension(RateWindowDao.class, dao -> dao.count(name, key, now, windowMillis, limit));
        return window.count() <= limit ? 0 : Math.max(1, (window.startedAt() + windowMillis - now + 999) / 1000);
    }

    @Override
    public void release(String key) {
        db.writer().useExtension(RateWindowDao.class, dao -> dao.release(name, key));
    }

    @Override
    public void reset(String key) {
        db.writer().useExtension(RateWindowDao.class, dao -> dao.reset(name, key));
    }
}
