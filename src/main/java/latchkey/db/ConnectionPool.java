package latchkey.db;

import org.jdbi.v3.core.ConnectionFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed set of open SQLite connections handed to Jdbi; "closing" one returns it to the set.
 * SQLite connections are cheap to keep and costly to open (pragmas, schema parse), so they are
 * opened once at start and reused for the life of the process.
 */
final class ConnectionPool implements ConnectionFactory, AutoCloseable {
    interface Opener {
        Connection open() throws SQLException;
    }

    private final List<Connection> all = new ArrayList<>();
    private final BlockingQueue<Connection> idle;

    ConnectionPool(int size, Opener opener) throws SQLException {
        idle = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            Connection c = opener.open();
            all.add(c);
            idle.add(c);
        }
    }

    @Override
    public Connection openConnection() throws SQLException {
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a database connection", e);
        }
    }

    @Override
    public void closeConnection(Connection c) throws SQLException {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        } finally {
            idle.add(c);
        }
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}
