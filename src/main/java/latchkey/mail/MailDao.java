package latchkey.mail;

import latchkey.db.Columns;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The mail queue. Rows are mapped by hand, for the reason given in {@link latchkey.users.UserDao}. */
@RegisterRowMapper(MailDao.QueuedMailMapper.class)
interface MailDao {
    final class QueuedMailMapper implements RowMapper<QueuedMail> {
        @Override
        public QueuedMail map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new QueuedMail(rs.getLong("id"), rs.getString("kind"), Columns.nullableLong(rs, "user_id"),
                    rs.getString("to_address"), rs.getLong("created_at"), rs.getInt("attempts"));
        }
    }

    @SqlUpdate("""
            INSERT INTO mail_queue (kind, user_id, to_address, created_at, next_attempt_at)
            VALUES (:kind, :userId, :to, :now, :now)""")
    void insert(@Bind("kind") String kind, @Bind("userId") Long userId, @Bind("to") String to, @Bind("now") long now);

    /** Due mails, oldest first, so that of two links for the same purpose the newer is made last and stays valid. */
    @SqlQuery("""
            SELECT id, kind, user_id, to_address, created_at, attempts FROM mail_queue
            WHERE next_attempt_at <= :now ORDER BY id LIMIT :limit""")
    List<QueuedMail> due(@Bind("now") long now, @Bind("limit") int limit);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM mail_queue WHERE kind = :kind AND user_id = :userId AND id > :id)")
    boolean existsNewer(@Bind("id") long id, @Bind("kind") String kind, @Bind("userId") long userId);

    @SqlQuery("SELECT min(next_attempt_at) FROM mail_queue")
    Optional<Long> nextAttemptAt();

    @SqlUpdate("UPDATE mail_queue SET next_attempt_at = :now WHERE next_attempt_at > :now")
    int dueNow(@Bind("now") long now);

    /**
     * Takes a due mail for one sender until {@code until}: 1 when this caller has it, 0 when another
     * node took it first (or it is no longer due). A sender that dies holding one leaves it to be
     * sent when the lease ends.
     */
    @SqlUpdate("UPDATE mail_queue SET next_attempt_at = :until WHERE id = :id AND next_attempt_at <= :now")
    int claim(@Bind("id") long id, @Bind("now") long now, @Bind("until") long until);

    @SqlUpdate("DELETE FROM mail_queue WHERE id = ?")
    int delete(long id);

    /** What the log and an operator get to know of a failure: the exception's type, never its text (it may hold an address). */
    @SqlUpdate("UPDATE mail_queue SET attempts = attempts + 1, next_attempt_at = :next, last_error = :error WHERE id = :id")
    int retryLater(@Bind("id") long id, @Bind("next") long nextAttemptAt, @Bind("error") String error);
}
