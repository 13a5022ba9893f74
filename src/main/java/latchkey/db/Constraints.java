package latchkey.db;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Tells which unique constraint a failed insert or update ran into: the database decides races. */
public final class Constraints {
    private Constraints() {
    }

    /** True when {@code e} was caused by a unique violation on {@code table.column}. */
    public static boolean isUniqueViolation(Throwable e, String tableDotColumn) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException se && se.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE) {
                return se.getMessage() != null && se.getMessage().contains(tableDotColumn);
            }
        }
        return false;
    }
}
