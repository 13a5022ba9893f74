package latchkey.db;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Writes that many callers make at once (chat messages) share transactions: one thread takes
 * whatever work is waiting, runs each piece under its own savepoint in one transaction, commits
 * once, and only then answers every caller and runs their after-commit actions. An fsync per
 * transaction instead of per write is what lets a disk that commits a few hundred transactions a
 * second take thousands of messages; no caller hears "done" before its write is on disk.
 *
 * <p>Work runs on the commit thread, one piece at a time, so pieces see each other's writes in
 * order (a room's sequence numbers need nothing more). Work must not itself wait for the
 * {@link Database#writer()}: this thread holds the one writer connection while a batch runs.
 */
public final class GroupCommit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** Bounds how long the first caller of a batch waits for the last one's work. */
    private static final int MAX_BATCH = 256;

    public interface Work<T> {
        T run(Tx tx);
    }

    private static final class Pending<T> {
        final Work<T> work;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;
        Throwable failure;
        List<Runnable> afterCommit = List.of();

        Pending(Work<T> work) {
            this.work = work;
        }

        void run(Tx tx) {
            result = work.run(tx);
        }

        void complete() {
            if (failure == null) done.complete(result);
            else done.completeExceptionally(failure);
        }
    }

    private static final Pending<Void> STOP = new Pending<>(tx -> null);

    private final Jdbi writer;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    GroupCommit(Jdbi writer) {
        this.writer = writer;
        this.thread = new Thread(this::loop, "group-commit");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code work} in a shared transaction and returns its result once that transaction is committed. */
    public <T> T run(Work<T> work) {
        try {
            return submit(work).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) throw runtime;
            if (cause instanceof Error error) throw error;
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a commit", e);
        }
    }

    private <T> CompletableFuture<T> submit(Work<T> work) {
        if (closed) throw new IllegalStateException("the database is closed");
        Pending<T> pending = new Pending<>(work);
        queue.add(pending);
        return pending.done;
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>();
        while (true) {
            Pending<?> first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) commit(batch);
            batch.clear();
            if (stop) return;
        }
    }

    private void commit(List<Pending<?>> batch) {
        try (Handle handle = writer.open()) {
            Connection connection = handle.getConnection();
            handle.begin();
            Tx tx = new Tx(handle);
            for (Pending<?> pending : batch) {
                Savepoint savepoint = connection.setSavepoint("work");
                try {
                    pending.run(tx);
                    connection.releaseSavepoint(savepoint);
                    pending.afterCommit = tx.takeAfterCommit();
                } catch (Throwable e) {
                    connection.rollback(savepoint);
                    connection.releaseSavepoint(savepoint);
                    tx.dropAfterCommit();
                    pending.failure = e;
                }
            }
            handle.commit();
        } catch (SQLException | RuntimeException e) {
            // Nothing of this batch is on disk: every caller hears the failure, none its success.
            for (Pending<?> pending : batch) {
                if (pending.failure == null) pending.failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                pending.afterCommit = List.of();
            }
        }
        for (Pending<?> pending : batch) {
            for (Runnable action : pending.afterCommit) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.error("an after-commit action failed", e);
                }
            }
            pending.complete();
        }
    }

    /** Finishes the work already queued, then stops the commit thread. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        queue.add(STOP);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Work that raced the close: refused rather than left waiting.
        for (Pending<?> late; (late = queue.poll()) != null; ) {
            late.done.completeExceptionally(new IllegalStateException("the database is closed"));
        }
    }
}
