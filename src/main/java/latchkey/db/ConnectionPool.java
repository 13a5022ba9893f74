package latchkey.db;

import org.jdbi.v3.core.ConnectionFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed set of open connections handed to Jdbi; "closing" one returns it to the set. SQLite
 * connections are cheap to keep and costly to open (pragmas, schema parse), so they are opened
 * once at start and reused for the life of the process; one that the driver has closed (a
 * PostgreSQL server that went away) is replaced when it is next taken.
 */
final class ConnectionPool implements ConnectionFactory, AutoCloseable {
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;
    private final List<Connection> all = new ArrayList<>();
    private final BlockingQueue<Connection> idle;
    private volatile boolean closed;

    ConnectionPool(int size, Opener opener) throws SQLException {
        this.opener = opener;
        idle = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            Connection c = opener.open();
            all.add(c);
            idle.add(c);
        }
    }

    @Override
    public Connection openConnection() throws SQLException {
        Connection c;
        try {
            c = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a database connection", e);
        }
        if (!c.isClosed() || closed) return c;
        // Lost with the server (PostgreSQL restarted, the network dropped): a new one takes its place.
        try {
            Connection fresh = opener.open();
            synchronized (all) {
                all.remove(c);
                all.add(fresh);
            }
            return fresh;
        } catch (SQLException | RuntimeException e) {
            idle.add(c);
            throw e;
        }
    }

    @Override
    public void closeConnection(Connection c) throws SQLException {
        try {
            if (!c.isClosed() && !c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        } finally {
            idle.add(c);
        }
    }

    @Override
    public void close() throws SQLException {
        closed = true;
        SQLException first = null;
        for (Connection c : List.copyOf(all)) {
            try {
                c.close();
            } catch (SQLException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}
