package latchkey.auth;

import latchkey.config.Config;
import latchkey.http.ApiException;

import java.time.Clock;
import java.time.Duration;

/** The login and registration limits of the contract, over three {@link RateLimiter}s. */
public final class AbuseLimits {
    private final boolean enabled;
    private final RateLimiter failedLoginsByAccount;
    private final RateLimiter failedLoginsByIp;
    private final RateLimiter registrationsByIp;

    public AbuseLimits(Config config, Clock clock) {
        this.enabled = config.rateLimitEnabled();
        this.failedLoginsByAccount = new RateLimiter(config.loginPerAccount(), config.rateLimitWindow(), clock);
        this.failedLoginsByIp = new RateLimiter(config.loginPerIp(), config.rateLimitWindow(), clock);
        this.registrationsByIp = new RateLimiter(config.registerPerIpHour(), Duration.ofHours(1), clock);
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
