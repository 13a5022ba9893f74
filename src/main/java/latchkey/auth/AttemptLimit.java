package latchkey.auth;

/**
 * A limit on attempts by key (an account's login name, a client IP), in fixed windows: counted in
 * this process ({@link RateLimiter}) or, where several nodes share the database, in the database
 * ({@link SharedRateLimiter}), so that N nodes do not allow N times the attempts.
 */
interface AttemptLimit {
    /** Counts one attempt and returns 0, or refuses it and returns the seconds until the window ends. */
    long tryAcquire(String key);

    /** Gives back an attempt that turned out not to count. */
    void release(String key);

    void reset(String key);
}
