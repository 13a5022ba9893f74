package latchkey.auth;

import latchkey.config.Config;
import latchkey.db.Database;
import latchkey.http.ApiException;

import java.time.Clock;
import java.time.Duration;

/** The login and registration limits of the contract, over three {@link AttemptLimit}s. */
public final class AbuseLimits {
    private static final Duration REGISTRATION_WINDOW = Duration.ofHours(1);
    private final boolean enabled;
    private final Database db;
    private final Clock clock;
    private final long windowMillis;
    private final AttemptLimit failedLoginsByAccount;
    private final AttemptLimit failedLoginsByIp;
    private final AttemptLimit registrationsByIp;

    /** Counted in this process, or in the database where other nodes share it ({@link Database#sharedByNodes}). */
    public AbuseLimits(Config config, Database db, Clock clock) {
        this.enabled = config.rateLimitEnabled();
        this.db = db;
        this.clock = clock;
        this.windowMillis = config.rateLimitWindow().toMillis();
        this.failedLoginsByAccount = limit(db, "login-account", config.loginPerAccount(), config.rateLimitWindow(), clock);
        this.failedLoginsByIp = limit(db, "login-ip", config.loginPerIp(), config.rateLimitWindow(), clock);
        this.registrationsByIp = limit(db, "register-ip", config.registerPerIpHour(), REGISTRATION_WINDOW, clock);
    }

    /** Housekeeping: forgets the shared windows that have ended (nothing to do for the in-memory ones, which bound themselves). */
    public int prune() {
        if (!db.sharedByNodes()) return 0;
        long longest = Math.max(REGISTRATION_WINDOW.toMillis(), windowMillis);
        return db.writer().withExtension(RateWindowDao.class, dao -> dao.deleteEnded(clock.millis() - longest));
    }

    private static AttemptLimit limit(Database db, String name, int limit, Duration window, Clock clock) {
        return db.sharedByNodes() ? new SharedRateLimiter(db, name, limit, window, clock) : new RateLimiter(limit, window, clock);
    }

    /**
     * Counts a login attempt as failed before the password is looked at; {@link #loginSucceeded}
     * takes it back. A locked account or IP is refused here, even with the correct password.
     */
    public void beginLogin(String accountKey, String ip) {
        if (!enabled) return;
        long wait = failedLoginsByAccount.tryAcquire(accountKey);
        if (wait > 0) throw ApiException.rateLimited(wait);
        wait = failedLoginsByIp.tryAcquire(ip);
        if (wait > 0) {
            failedLoginsByAccount.release(accountKey);
            throw ApiException.rateLimited(wait);
        }
    }

    /** A successful login clears the account's failures and does not count against the IP. */
    public void loginSucceeded(String accountKey, String ip) {
        if (!enabled) return;
        failedLoginsByAccount.reset(accountKey);
        failedLoginsByIp.release(ip);
    }

    public void countRegistration(String ip) {
        if (!enabled) return;
        long wait = registrationsByIp.tryAcquire(ip);
        if (wait > 0) throw ApiException.rateLimited(wait);
    }
}
