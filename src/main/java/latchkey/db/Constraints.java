package latchkey.db;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.SQLException;

/**
 * Tells what a failed statement ran into: which unique constraint (the database decides races), or
 * a database that can not be reached.
 */
public final class Constraints {
    private static final String POSTGRESQL_UNIQUE_VIOLATION = "23505";

    private Constraints() {
    }

    /**
     * True when {@code e} was caused by a unique violation on {@code table.column}. SQLite names
     * the column in its message; PostgreSQL names the index, which the migrations call
     * {@code table_column}.
     */
    public static boolean isUniqueViolation(Throwable e, String tableDotColumn) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException se && se.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE) {
                return se.getMessage() != null && se.getMessage().contains(tableDotColumn);
            }
            if (t instanceof SQLException se && POSTGRESQL_UNIQUE_VIOLATION.equals(se.getSQLState())) {
                return se.getMessage() != null && se.getMessage().contains("\"" + tableDotColumn.replace('.', '_') + "\"");
            }
        }
        return false;
    }

    /**
     * Thrown by work that finds a row changed under it by another writer (a room's sequence
     * number moved): {@link GroupCommit} runs that work again, as it does on {@link #isConflict}.
     */
    public static final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message);
        }
    }

    /**
     * True when {@code e} was caused by another writer getting there first: a unique violation,
     * PostgreSQL's serialization failure or deadlock, or a {@link Conflict}. With one writer per
     * process SQLite never has one; several nodes on one PostgreSQL database do, and the work run
     * again reads what the other node wrote (the message with that client_id, the direct room of
     * that pair, the room's new sequence number).
     */
    public static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Conflict) return true;
            if (t instanceof SQLException se && se.getSQLState() != null
                    && (se.getSQLState().equals(POSTGRESQL_UNIQUE_VIOLATION) || se.getSQLState().equals("40001") || se.getSQLState().equals("40P01"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code e} was caused by a lost or refused connection (SQLSTATE class 08, or
     * PostgreSQL's 57P01..57P03: the server is shutting down or starting): the database is
     * unreachable for now, not the request wrong. SQLite, a file, never reports one.
     */
    public static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException se && se.getSQLState() != null
                    && (se.getSQLState().startsWith("08") || se.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }
}
