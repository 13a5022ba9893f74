package latchkey.recovery;

import latchkey.auth.RateLimiter;
import latchkey.config.Config;
import latchkey.http.ApiException;

import java.time.Clock;
import java.time.Duration;

/**
 * The mail limits of the contract, over {@link RateLimiter}s as the login limits are. A reset is
 * counted under the email as typed (lower-cased), whether or not an account has it, so the answer
 * to the fourth request of an hour tells nothing about the address.
 */
final class RecoveryLimits {
    private static final Duration HOUR = Duration.ofHours(1);

    private final boolean enabled;
    private final RateLimiter resetsByEmail;
    private final RateLimiter resetsByIp;
    private final RateLimiter verificationMails;
    private final RateLimiter emailChanges;

    RecoveryLimits(Config config, Clock clock) {
        this.enabled = config.rateLimitEnabled();
        this.resetsByEmail = new RateLimiter(config.resetPerEmailHour(), HOUR, clock);
        this.resetsByIp = new RateLimiter(config.resetPerIpHour(), HOUR, clock);
        this.verificationMails = new RateLimiter(config.accountMailPerHour(), HOUR, clock);
        this.emailChanges = new RateLimiter(config.accountMailPerHour(), HOUR, clock);
    }

    void countReset(String email, String ip) {
        if (!enabled) return;
        long wait = resetsByEmail.tryAcquire(email);
        if (wait > 0) throw ApiException.rateLimited(wait);
        wait = resetsByIp.tryAcquire(ip);
        if (wait > 0) {
            resetsByEmail.release(email);
            throw ApiException.rateLimited(wait);
        }
    }

    /** Counts a verification mail to the account; 0, or the seconds until another may go. */
    long countVerificationMail(long userId) {
        return enabled ? verificationMails.tryAcquire(Long.toString(userId)) : 0;
    }

    void countEmailChange(long userId) {
        if (!enabled) return;
        long wait = emailChanges.tryAcquire(Long.toString(userId));
        if (wait > 0) throw ApiException.rateLimited(wait);
    }
}
