package latchkey.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategy;
import latchkey.http.ApiException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
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
    /** Runs what callers chain on a hash (a commit that waits for the disk, a token, the response). */
    private final ThreadPoolExecutor followUp;
    private final BCrypt.Hasher hasher = BCrypt.with(VERSION, LONG_PASSWORDS);
    private final BCrypt.Verifyer verifyer = BCrypt.verifyer(VERSION, LONG_PASSWORDS);
    /** Checked when there is no such user, so that a miss costs what a wrong password costs. */
    private volatile String dummyHash;

    public Passwords(int cost, int threads, int maxQueue) {
        this.cost = cost;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(maxQueue), r -> {
            Thread t = new Thread(() -> {
                lowerPriorityOfThisThread();
                r.run();
            }, "bcrypt-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AtomicInteger m = new AtomicInteger();
        // Few of these are ever busy; when all are, the hashing thread does the work itself. They are
        // started here, not by a hashing thread, whose lower priority a new thread would inherit.
        int followUps = Math.max(2, 2 * threads);
        this.followUp = new ThreadPoolExecutor(followUps, followUps, 0, TimeUnit.MILLISECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "bcrypt-done-" + m.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
        this.followUp.prestartAllCoreThreads();
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

    /**
     * The returned future completes on a follow-up thread, so that the stages a caller chains on it
     * (a session insert whose commit waits for the disk, a token, the response) do not hold up the
     * hashing thread: it goes straight on to the next password.
     */
    private <T> CompletableFuture<T> submit(Supplier<T> work) {
        CompletableFuture<T> hashed;
        try {
            hashed = CompletableFuture.supplyAsync(work, pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(ApiException.overloaded(RETRY_AFTER_SECONDS));
        }
        return hashed.thenApplyAsync(result -> result, followUp);
    }

    /**
     * Best effort, on Linux: a hashing thread runs at nice 10, so that when logins flood in, the
     * request threads (nice 0) still get most of a busy CPU; an otherwise idle CPU still goes to
     * hashing in full. Elsewhere, or without {@code /usr/bin/renice}, the normal priority stays.
     */
    private static void lowerPriorityOfThisThread() {
        Path renice = Path.of("/usr/bin/renice");
        if (!Files.isExecutable(renice)) return;
        try {
            // "<pid>/task/<tid>": on Linux the nice value is per thread, and setpriority takes a thread id.
            String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            Process p = new ProcessBuilder(renice.toString(), "-n", "10", "-p", tid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // no /proc/thread-self or no way to start renice: the normal priority stays
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
            followUp.shutdown();
            followUp.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
