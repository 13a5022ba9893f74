package latchkey.messages;

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

/**
 * A room's history: its messages, the room's sequence counter ({@code rooms.last_seq}) and the
 * members' read cursors ({@code memberships.last_read_seq}), which only this DAO writes.
 * Rows are mapped by hand, for the reason given in {@code UserDao}. What a send needs is declared
 * in {@link SendDao}, which the commit thread attaches alone.
 */
@RegisterRowMapper(MessageDao.MessageRowMapper.class)
public interface MessageDao extends SendDao {
    final class MessageRowMapper implements RowMapper<MessageRow> {
        @Override
        public MessageRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new MessageRow(rs.getLong("id"), rs.getLong("room_id"), rs.getLong("seq"), rs.getLong("change_seq"),
                    Columns.nullableLong(rs, "sender_id"), rs.getString("sender_username"), rs.getString("sender_name"),
                    Columns.nullableLong(rs, "sender_avatar_id"), rs.getString("text"), Columns.nullableLong(rs, "reply_to"), rs.getString("client_id"),
                    rs.getLong("created_at"), Columns.nullableLong(rs, "edited_at"), rs.getBoolean("deleted"));
        }
    }

    /** The newest {@code limit} messages, newest first. */
    @SqlQuery("SELECT " + COLUMNS + " WHERE m.room_id = :room ORDER BY m.seq DESC LIMIT :limit")
    List<MessageRow> newest(@Bind("room") long roomId, @Bind("limit") int limit);

    /** The {@code limit} messages just before {@code seq}, newest first. */
    @SqlQuery("SELECT " + COLUMNS + " WHERE m.room_id = :room AND m.seq < :seq ORDER BY m.seq DESC LIMIT :limit")
    List<MessageRow> before(@Bind("room") long roomId, @Bind("seq") long seq, @Bind("limit") int limit);

    /** The {@code limit} messages just after {@code seq}, oldest first. */
    @SqlQuery("SELECT " + COLUMNS + " WHERE m.room_id = :room AND m.seq > :seq ORDER BY m.seq LIMIT :limit")
    List<MessageRow> after(@Bind("room") long roomId, @Bind("seq") long seq, @Bind("limit") int limit);

    /** Messages from others, not deleted, after the reader's cursor, counting at most {@code cap}. */
    @SqlQuery("""
            SELECT count(*) FROM (SELECT 1 FROM messages
                                  WHERE room_id = :room AND seq > :after AND deleted = 0 AND sender_id <> :reader
                                  LIMIT :cap) AS unread""")
    int countUnread(@Bind("room") long roomId, @Bind("reader") long readerId, @Bind("after") long afterSeq, @Bind("cap") int cap);

    /** The messages whose latest change came after {@code since}, in the order of those changes (resume). */
    @SqlQuery("SELECT " + COLUMNS + " WHERE m.room_id = :room AND m.change_seq > :since ORDER BY m.change_seq LIMIT :limit")
    List<MessageRow> changedSince(@Bind("room") long roomId, @Bind("since") long since, @Bind("limit") int limit);

    @SqlUpdate("UPDATE messages SET text = :text, edited_at = :now, change_seq = :seq WHERE id = :id")
    int edit(@Bind("id") long messageId, @Bind("text") String text, @Bind("seq") long seq, @Bind("now") long now);

    @SqlUpdate("UPDATE messages SET text = NULL, deleted = 1, change_seq = :seq WHERE id = :id")
    int tombstone(@Bind("id") long messageId, @Bind("seq") long seq);

    /** An account's messages, in each room's order: what its deletion turns into tombstones. */
    @SqlQuery("SELECT " + COLUMNS + " WHERE m.sender_id = :sender ORDER BY m.room_id, m.seq")
    List<MessageRow> bySender(@Bind("sender") long senderId);

    @SqlUpdate("UPDATE messages SET sender_id = NULL WHERE sender_id = :sender")
    int forgetSender(@Bind("sender") long senderId);

    /** The room's counter after an edit or delete; the guard on the old value makes a second writer fail loudly instead of reusing a number. */
    @SqlUpdate("UPDATE rooms SET last_seq = :seq WHERE id = :room AND last_seq = :seq - 1")
    int advance(@Bind("room") long roomId, @Bind("seq") long seq);

    @SqlQuery("SELECT last_seq FROM rooms WHERE id = ?")
    long lastSeq(long roomId);

    @SqlQuery("SELECT last_read_seq FROM memberships WHERE room_id = :room AND user_id = :user")
    Optional<Long> readCursor(@Bind("room") long roomId, @Bind("user") long userId);

    /** Moves a read cursor forward (never back). */
    @SqlUpdate("UPDATE memberships SET last_read_seq = :seq WHERE room_id = :room AND user_id = :user AND last_read_seq < :seq")
    int markRead(@Bind("room") long roomId, @Bind("user") long userId, @Bind("seq") long seq);
}
