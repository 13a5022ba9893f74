package latchkey.rooms;

import latchkey.db.Columns;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A room's kind, privacy and counter with callers' roles in it: what every send checks first, on
 * the hot path. Apart from {@link RoomDao} because the commit thread attaches it in every batch, and
 * Jdbi's attach does work for each method of a DAO.
 */
public interface RoomAccessDao {
    /** What every message send checks first, in the fewest columns: it is on the hot path of sending. */
    record Access(String kind, boolean isPrivate, long lastSeq, RoomRole role) {
    }

    final class AccessMapper implements RowMapper<Access> {
        @Override
        public Access map(ResultSet rs, StatementContext ctx) throws SQLException {
            String role = rs.getString(4);
            return new Access(rs.getString(1), rs.getBoolean(2), rs.getLong(3), role == null ? null : RoomRole.parse(role).orElseThrow());
        }
    }

    @SqlQuery("""
            SELECT r.kind, r.private, r.last_seq, mb.role
            FROM rooms r LEFT JOIN memberships mb ON mb.room_id = r.id AND mb.user_id = :user
            WHERE r.id = :room""")
    @RegisterRowMapper(AccessMapper.class)
    Optional<Access> access(@Bind("room") long roomId, @Bind("user") long userId);

    /** A room as {@link #access(long, Collection)} reads it for one of several callers; {@code userId} and {@code role} null: none of them is a member. */
    record MemberAccess(String kind, boolean isPrivate, long lastSeq, Long userId, RoomRole role) {
    }

    final class MemberAccessMapper implements RowMapper<MemberAccess> {
        @Override
        public MemberAccess map(ResultSet rs, StatementContext ctx) throws SQLException {
            String role = rs.getString(5);
            return new MemberAccess(rs.getString(1), rs.getBoolean(2), rs.getLong(3), Columns.nullableLong(rs, "user_id"),
                    role == null ? null : RoomRole.parse(role).orElseThrow());
        }
    }

    /**
     * The room with a row for each of {@code userIds} that is a member (one row with no member when
     * none is), nothing when there is no such room: what a batch of sends checks, in one statement
     * whatever the number of senders (the ids travel as one JSON array, so the SQL stays the same and prepared).
     */
    default List<MemberAccess> access(long roomId, Collection<Long> userIds) {
        StringJoiner ids = new StringJoiner(",", "[", "]");
        for (long id : userIds) ids.add(Long.toString(id));
        return accessOf(roomId, ids.toString());
    }

    @SqlQuery("""
            SELECT r.kind, r.private, r.last_seq, mb.user_id, mb.role
            FROM rooms r LEFT JOIN memberships mb ON mb.room_id = r.id AND mb.user_id IN (SELECT CAST(u.value AS BIGINT) FROM <json_array> u)
            WHERE r.id = :room <lock_room>""")
    @RegisterRowMapper(MemberAccessMapper.class)
    List<MemberAccess> accessOf(@Bind("room") long roomId, @Bind("json") String userIdsJson);
}
