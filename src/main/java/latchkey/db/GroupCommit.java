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
 *
 * <p>A {@link Bulk} is work that is cheaper done for many callers at once than for each alone
 * (one lookup for all the senders of a batch instead of one each): the items of a batch that
 * share a bulk run together, as one piece at the place of the first of them, and each caller gets
 * its own {@link Outcome}, so one bad item fails only its caller. After-commit actions run in the
 * order the pieces ran.
 *
 * <p>On PostgreSQL other nodes write too. A piece that lost a race to one of them
 * ({@link Constraints#isConflict}) is rolled back and run again right after the batch's commit,
 * before newer work, so that it reads what the other node committed.
 */
public final class GroupCommit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** Bounds how long the first caller of a batch waits for the last one's work. */
    private static final int MAX_BATCH = 256;
    /**
     * How often a piece runs when another writer keeps beating it to a row ({@link Constraints#isConflict}):
     * with one writer per node, each retry follows a commit of another node.
     */
    private static final int MAX_ATTEMPTS = 5;

    public interface Work<T> {
        T run(Tx tx);
    }

    /** Work for the items of many callers at once; {@link #run} returns one outcome per item, in the items' order. */
    public interface Bulk<I, R> {
        List<Outcome<R>> run(Tx tx, List<I> items);
    }

    /** One caller's share of a {@link Bulk}: its result, or the exception it gets instead (a failure rolls back nothing of the others). */
    public record Outcome<R>(R value, RuntimeException failure) {
        public static <R> Outcome<R> of(R value) {
            return new Outcome<>(value, null);
        }

        public static <R> Outcome<R> failed(RuntimeException failure) {
            return new Outcome<>(null, failure);
        }
    }

    private static final class Pending<T> {
        final Work<T> work;
        final Bulk<Object, T> bulk;
        final Object item;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;
        Throwable failure;
        /** Set once a bulk took this item along with an earlier one of the batch. */
        boolean ran;
        /** Set when its piece ran into another node's write and runs again once this batch is committed. */
        boolean again;
        int attempts = 1;

        Pending(Work<T> work, Bulk<Object, T> bulk, Object item) {
            this.work = work;
            this.bulk = bulk;
            this.item = item;
        }

        Pending<T> retry() {
            again = false;
            ran = false;
            result = null;
            failure = null;
            attempts++;
            return this;
        }

        void complete() {
            if (failure == null) done.complete(result);
            else done.completeExceptionally(failure);
        }
    }

    private static final Pending<Void> STOP = new Pending<>(tx -> null, null, null);

    private final Jdbi writer;
    private final Runnable afterEachCommit;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    /** @param afterEachCommit runs on the commit thread after each commit (it must not block) */
    GroupCommit(Jdbi writer, Runnable afterEachCommit) {
        this.writer = writer;
        this.afterEachCommit = afterEachCommit;
        this.thread = new Thread(this::loop, "group-commit");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code work} in a shared transaction and returns its result once that transaction is committed. */
    public <T> T run(Work<T> work) {
        return await(submit(new Pending<>(work, null, null)));
    }

    /** Runs {@code item} through {@code bulk}, with the other items of that bulk waiting at the time, and returns its result once committed. */
    @SuppressWarnings("unchecked")
    public <I, R> R run(Bulk<I, R> bulk, I item) {
        return await(submit(new Pending<>(null, (Bulk<Object, R>) bulk, item)));
    }

    private static <T> T await(CompletableFuture<T> done) {
        try {
            return done.get();
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

    private <T> CompletableFuture<T> submit(Pending<T> pending) {
        if (closed) throw new IllegalStateException("the database is closed");
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
        List<Runnable> afterCommit = new ArrayList<>();
        try (Handle handle = writer.open()) {
            Connection connection = handle.getConnection();
            handle.begin();
            Tx tx = new Tx(handle);
            // A batch of one piece (one caller, or the callers of one bulk) needs no savepoint: its failure rolls back the transaction.
            boolean onePiece = pieceOf(batch, 0).size() == batch.size();
            boolean failed = false;
            for (int i = 0; i < batch.size(); i++) {
                Pending<?> pending = batch.get(i);
                if (pending.ran) continue;
                Savepoint savepoint = onePiece ? null : connection.setSavepoint("work");
                try {
                    if (pending.bulk == null) runAlone(tx, pending);
                    else runBulk(tx, batch, i);
                    if (savepoint != null) connection.releaseSavepoint(savepoint);
                    afterCommit.addAll(tx.takeAfterCommit());
                } catch (Throwable e) {
                    failed = true;
                    if (savepoint != null) {
                        connection.rollback(savepoint);
                        connection.releaseSavepoint(savepoint);
                    }
                    tx.dropAfterCommit();
                    boolean again = pending.attempts < MAX_ATTEMPTS && Constraints.isConflict(e);
                    for (Pending<?> piece : pieceOf(batch, i)) {
                        if (again) piece.again = true;
                        else piece.failure = e;
                        piece.ran = true;
                    }
                }
            }
            if (onePiece && failed) handle.rollback();
            else handle.commit();
        } catch (SQLException | RuntimeException e) {
            // Nothing of this batch is on disk: every caller hears the failure, none its success.
            for (Pending<?> pending : batch) {
                pending.again = false;
                if (pending.failure == null) pending.failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            afterCommit.clear();
        }
        afterEachCommit.run();
        for (Runnable action : afterCommit) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.error("an after-commit action failed", e);
            }
        }
        List<Pending<?>> again = new ArrayList<>();
        for (Pending<?> pending : batch) {
            if (pending.again) again.add(pending.retry());
            else pending.complete();
        }
        // Before anything newer: the work reads again what the other writer committed, and is answered in its turn.
        if (!again.isEmpty()) commit(again);
    }

    private static <T> void runAlone(Tx tx, Pending<T> pending) {
        pending.result = pending.work.run(tx);
    }

    /** The pending items of the batch that run as one piece with the one at {@code first}. */
    private static List<Pending<?>> pieceOf(List<Pending<?>> batch, int first) {
        Pending<?> head = batch.get(first);
        if (head.bulk == null) return List.of(head);
        List<Pending<?>> piece = new ArrayList<>();
        for (int i = first; i < batch.size(); i++) {
            if (batch.get(i).bulk == head.bulk) piece.add(batch.get(i));
        }
        return piece;
    }

    @SuppressWarnings("unchecked")
    private static <T> void runBulk(Tx tx, List<Pending<?>> batch, int first) {
        List<Pending<T>> piece = new ArrayList<>();
        for (Pending<?> pending : pieceOf(batch, first)) piece.add((Pending<T>) pending);
        List<Object> items = new ArrayList<>(piece.size());
        for (Pending<T> pending : piece) items.add(pending.item);
        List<Outcome<T>> outcomes = piece.get(0).bulk.run(tx, items);
        if (outcomes.size() != piece.size()) throw new IllegalStateException("a bulk answered " + outcomes.size() + " of " + piece.size() + " items");
        for (int i = 0; i < piece.size(); i++) {
            Pending<T> pending = piece.get(i);
            pending.result = outcomes.get(i).value();
            pending.failure = outcomes.get(i).failure();
            pending.ran = true;
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
