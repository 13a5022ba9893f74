package latchkey.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import latchkey.http.Json;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The statements of a batch of sends, the part of {@link MessageDao} that the commit thread
 * attaches in every batch: Jdbi's attach does work for each method of a DAO, and this one has few.
 * A batch's rows and keys travel as one JSON array each ({@code <json_array>}, see {@link latchkey.db.Vendor#fragments}),
 * so that every statement's SQL is the same whatever the number of sends, and stays prepared.
 */
@RegisterRowMapper(MessageDao.MessageRowMapper.class)
@RegisterRowMapper(SendDao.InsertedMapper.class)
public interface SendDao {
    String FIELDS = """
            m.id, m.room_id, m.seq, m.change_seq, m.sender_id, u.username AS sender_username, u.name AS sender_name,
            u.avatar_id AS sender_avatar_id, m.text, m.reply_to, m.client_id, m.created_at, m.edited_at, m.deleted""";
    String COLUMNS = FIELDS + " FROM messages m LEFT JOIN users u ON u.id = m.sender_id";

    /** A sender's own id for a message: what a retried send is found by. */
    record ClientKey(long senderId, String clientId) {
    }

    /** A new message's row, before it has an id and a number. */
    record NewRow(long senderId, String text, Long replyTo, String clientId) {
    }

    record Inserted(long id, long seq) {
    }

    final class InsertedMapper implements RowMapper<Inserted> {
        @Override
        public Inserted map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Inserted(rs.getLong(1), rs.getLong(2));
        }
    }

    @SqlQuery("SELECT " + COLUMNS + " WHERE m.id = :id AND m.room_id = :room")
    Optional<MessageRow> find(@Bind("room") long roomId, @Bind("id") long messageId);

    /** The messages of the room that {@code keys} name. */
    default List<MessageRow> findByClientIds(long roomId, Collection<ClientKey> keys) {
        return findByClientIds(roomId, json(keys.stream().map(k -> Arrays.<Object>asList(k.senderId(), k.clientId())).toList()));
    }

    /** CROSS JOIN keeps the array outside, so that each pair is one lookup in messages_client_id. */
    @SqlQuery("SELECT " + FIELDS + """
             FROM <json_array> k CROSS JOIN messages m LEFT JOIN users u ON u.id = m.sender_id
            WHERE m.room_id = :room AND m.sender_id = CAST(k.value ->> 0 AS BIGINT) AND m.client_id = k.value ->> 1""")
    List<MessageRow> findByClientIds(@Bind("room") long roomId, @Bind("json") String keysJson);

    /** Inserts {@code rows} numbered from {@code firstSeq} on, in their order; answers each new row's id and number (in no order). */
    default List<Inserted> insertAll(long roomId, long firstSeq, long now, List<NewRow> rows) {
        return insertAll(roomId, firstSeq, now, json(rows.stream().map(r -> Arrays.<Object>asList(r.senderId(), r.text(), r.replyTo(), r.clientId())).toList()));
    }

    @SqlQuery("""
            INSERT INTO messages (room_id, seq, change_seq, sender_id, text, reply_to, client_id, created_at)
            SELECT :room, :first + r.key, :first + r.key, CAST(r.value ->> 0 AS BIGINT), r.value ->> 1, CAST(r.value ->> 2 AS BIGINT),
                   r.value ->> 3, :now
            FROM <json_array> r
            RETURNING id, seq""")
    List<Inserted> insertAll(@Bind("room") long roomId, @Bind("first") long firstSeq, @Bind("now") long now, @Bind("json") String rowsJson);

    /**
     * The counter after new messages, {@code from} its old value {@code to} the last one's number,
     * which is also the room's latest activity. The guard on the old value makes a second writer
     * fail loudly instead of reusing a number.
     */
    @SqlUpdate("UPDATE rooms SET last_seq = :to, last_message_id = :message, activity_at = :now WHERE id = :room AND last_seq = :from")
    int advanceWithMessages(@Bind("room") long roomId, @Bind("from") long fromSeq, @Bind("to") long toSeq, @Bind("message") long lastMessageId,
                            @Bind("now") long now);

    private static String json(List<List<Object>> rows) {
        try {
            return Json.MAPPER.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("numbers and strings are JSON", e);
        }
    }
}
