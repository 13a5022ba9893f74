package latchkey.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Copies the WAL back into the database file from a connection of its own, so that the commit
 * thread does not: SQLite's auto-checkpoint runs inside the commit that crosses its threshold, and
 * every caller of that batch waits for the copy and its fsync. PASSIVE never waits for readers or
 * the writer; what it can not copy now it copies on a later round. The writer keeps a far higher
 * auto-checkpoint threshold of its own, for a WAL that outgrows these rounds.
 */
final class Checkpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final long ROUND_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Connection connection;
    private final Thread thread;
    private volatile boolean written;
    private volatile boolean closed;

    Checkpoints(Connection connection) {
        this.connection = connection;
        this.thread = new Thread(this::loop, "wal-checkpoint");
        thread.setDaemon(true);
        thread.start();
    }

    /** Called after each commit: the next round has something to copy. */
    void written() {
        written = true;
    }

    private void loop() {
        while (!closed) {
            LockSupport.parkNanos(ROUND_NANOS);
            if (!written || closed) continue;
            written = false;
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(PASSIVE)");
            } catch (SQLException e) {
                LOG.warn("a WAL checkpoint failed; the next round tries again: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() throws SQLException {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }
}
