package latchkey.db;

import java.sql.ResultSet;
import java.sql.SQLException;

/** What JDBC's getters leave awkward when DAOs map rows by hand. */
public final class Columns {
    private Columns() {
    }

    /** An INTEGER column that may be NULL: {@link ResultSet#getLong} would read NULL as 0. */
    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
