package latchkey.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategy;
import latchkey.http.ApiException;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * bcrypt hashing and checking on a bounded pool of its own, so a flood of logins queues here
 * instead of taking every request thread; a full queue is answered with 503 {@code overloaded}.
 * Passwords longer than bcrypt's 72 bytes are pre-hashed with SHA-512, so every character counts.
 */
public final class Passwords implements AutoCloseable {
    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2A;
    private static final LongPasswordStrategy LONG_PASSWORDS = LongPasswordStrategies.hashSha512(VERSION);
    private static final long RETRY_AFTER_SECONDS = 1;

    /** The outcome of a check: whether it matched, and a new hash when the stored cost is below the configured one. */
    public record Check(boolean matches, Optional<String> upgradedHash) {
    }

    private final int cost;
    private final ThreadPoolExecutor pool;
    private final BCrypt.Hasher hasher = BCrypt.with(VERSION, LONG_PASSWORDS);
    private final BCrypt.Verifyer verifyer = BCrypt.verifyer(VERSION, LONG_PASSWORDS);
    /** Checked when there is no such user, so that a miss costs what a wrong password costs. */
    private volatile String dummyHash;

    public Passwords(int cost, int threads, int maxQueue) {
        this.cost = cost;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(maxQueue), r -> {
            Thread t = new Thread(r, "bcrypt-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public CompletableFuture<String> hash(String password) {
        return submit(() -> hashNow(password));
    }

    /** Checks a password against a stored hash, or against a dummy hash of the same cost when {@code hash} is null. */
    public CompletableFuture<Check> check(String password, String hash) {
        return submit(() -> {
            boolean matches = verifyer.verify(password.toCharArray(), hash != null ? hash : dummyHash()).verified;
            boolean upgrade = matches && hash != null && costOf(hash) < cost;
            return new Check(matches && hash != null, upgrade ? Optional.of(hashNow(password)) : Optional.empty());
        });
    }

    private String hashNow(String password) {
        return hasher.hashToString(cost, password.toCharArray());
    }

    private String dummyHash() {
        String dummy = dummyHash;
        if (dummy == null) {
            dummy = hashNow("no such user: this hash only keeps the timing of a miss equal to a wrong password");
            dummyHash = dummy;
        }
        return dummy;
    }

    private static int costOf(String hash) {
        // Modular crypt format: $2a$12$<salt and hash>
        return Integer.parseInt(hash.substring(4, 6));
    }

    private <T> CompletableFuture<T> submit(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(ApiException.overloaded(RETRY_AFTER_SECONDS));
        }
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
