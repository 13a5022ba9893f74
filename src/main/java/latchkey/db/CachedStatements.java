package latchkey.db;

import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Keeps a connection's prepared statements for the next query with the same SQL. Jdbi
 * prepares every statement afresh, and SQLite's compile of a join costs about 12 µs, as much as
 * running it. A statement in use is out of the map, so a nested query with the same SQL gets a
 * fresh one. One instance per connection, used by one thread at a time, as its handle is.
 */
final class CachedStatements extends DefaultStatementBuilder {
    private static final int MAX_STATEMENTS = 64;

    /**
     * The writer connection outlives the many handles opened on it, one per transaction; its
     * statements are kept across them and closed with the database ({@link #closeAll()}).
     */
    private final boolean keptAcrossHandles;
    private final Map<String, PreparedStatement> idle = new HashMap<>();
    /** Statements handed out, by the SQL they were prepared from: Jdbi's close names the SQL before parsing. */
    private final Map<Statement, String> inUse = new IdentityHashMap<>();
    /** The connection the kept statements belong to. */
    private Connection connection;

    CachedStatements(boolean keptAcrossHandles) {
        this.keptAcrossHandles = keptAcrossHandles;
    }

    @Override
    public PreparedStatement create(Connection conn, String sql, StatementContext ctx) throws SQLException {
        if (conn != connection) {
            // A lost connection was replaced (ConnectionPool): its statements went with it.
            closeAll();
            inUse.clear();
            connection = conn;
        }
        PreparedStatement cached = idle.remove(sql);
        PreparedStatement statement = cached != null ? cached : super.create(conn, sql, ctx);
        if (!ctx.isReturningGeneratedKeys() && !ctx.isConcurrentUpdatable()) inUse.put(statement, sql);
        return statement;
    }

    @Override
    public void close(Connection conn, String templateSql, Statement stmt) throws SQLException {
        String sql = inUse.remove(stmt);
        if (sql != null && !stmt.isClosed() && idle.size() < MAX_STATEMENTS && !idle.containsKey(sql)) {
            PreparedStatement prepared = (PreparedStatement) stmt;
            prepared.clearParameters();
            idle.put(sql, prepared);
        } else {
            super.close(conn, templateSql, stmt);
        }
    }

    @Override
    public void close(Connection conn) {
        if (!keptAcrossHandles) closeAll();
    }

    void closeAll() {
        for (PreparedStatement statement : idle.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // The connection closes next, and with it whatever SQLite still holds.
            }
        }
        idle.clear();
    }
}
