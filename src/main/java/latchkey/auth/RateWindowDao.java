package latchkey.auth;

import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;

/** The shared counters of {@link SharedRateLimiter} ({@code rate_windows}). */
@RegisterRowMapper(RateWindowDao.WindowMapper.class)
public interface RateWindowDao {
    record Window(long startedAt, int count) {
    }

    final class WindowMapper implements RowMapper<Window> {
        @Override
        public Window map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Window(rs.getLong("started_at"), rs.getInt("count"));
        }
    }

    /**
     * Counts one attempt in one statement, so that two nodes counting at once both count: a new or
     * expired window starts at 1; a full one goes to {@code limit + 1} and stays there (refused).
     * Returns the window after it.
     */
    @SqlQuery("""
            INSERT INTO rate_windows AS w (limiter, subject, started_at, count) VALUES (:limiter, :subject, :now, 1)
            ON CONFLICT (limiter, subject) DO UPDATE SET
                started_at = CASE WHEN :now - w.started_at >= :window THEN :now ELSE w.started_at END,
                count = CASE WHEN :now - w.started_at >= :window THEN 1
                             WHEN w.count > :limit THEN w.count
                             ELSE w.count + 1 END
            RETURNING started_at, count""")
    Window count(@Bind("limiter") String limiter, @Bind("subject") String subject, @Bind("now") long now,
                 @Bind("window") long windowMillis, @Bind("limit") int limit);

    @SqlUpdate("UPDATE rate_windows SET count = count - 1 WHERE limiter = :limiter AND subject = :subject AND count > 0")
    void release(@Bind("limiter") String limiter, @Bind("subject") String subject);

    @SqlUpdate("DELETE FROM rate_windows WHERE limiter = :limiter AND subject = :subject")
    void reset(@Bind("limiter") String limiter, @Bind("subject") String subject);

    /** Housekeeping: windows that ended before {@code before}. */
    @SqlUpdate("DELETE FROM rate_windows WHERE started_at < :before")
    int deleteEnded(@Bind("before") long before);
}
