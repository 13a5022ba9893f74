package latchkey.rooms;

import latchkey.db.Columns;
import latchkey.users.PublicProfile;
import latchkey.users.UserDao;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Rooms and their members. Rows are mapped by hand, for the reason given in {@link UserDao}. The
 * history columns of a room (last_seq, last_message_id, activity_at) and the members' read
 * cursors are written by the messages feature's DAO. What a send checks is declared in
 * {@link RoomAccessDao}, which the commit thread attaches alone.
 */
@RegisterRowMapper(RoomDao.CallerRoomMapper.class)
@RegisterRowMapper(RoomDao.MemberRowMapper.class)
@RegisterRowMapper(UserDao.ProfileMapper.class)
public interface RoomDao extends RoomAccessDao {
    String ROOM_COLUMNS = """
            r.id, r.kind, r.name, r.topic, r.private, r.member_count, r.last_seq, r.last_message_id, r.activity_at,
            r.created_at, r.updated_at, mb.role AS my_role, mb.joined_at AS my_joined_at, mb.last_read_seq AS my_last_read_seq""";
    String MEMBER_COLUMNS = "mb.room_id, mb.user_id, u.username, u.name, u.avatar_id, mb.role, mb.joined_at, mb.last_read_seq";

    /** A room with the caller's membership in it; {@code role} is null when the caller is not a member. */
    record CallerRoom(RoomRow room, RoomRole role, long joinedAt, long lastReadSeq) {
    }

    final class CallerRoomMapper implements RowMapper<CallerRoom> {
        @Override
        public CallerRoom map(ResultSet rs, StatementContext ctx) throws SQLException {
            RoomRow room = new RoomRow(rs.getLong("id"), rs.getString("kind"), rs.getString("name"), rs.getString("topic"),
                    rs.getBoolean("private"), rs.getInt("member_count"), rs.getLong("last_seq"),
                    Columns.nullableLong(rs, "last_message_id"), rs.getLong("activity_at"), rs.getLong("created_at"),
                    rs.getLong("updated_at"));
            String role = rs.getString("my_role");
            return new CallerRoom(room, role == null ? null : RoomRole.parse(role).orElseThrow(),
                    rs.getLong("my_joined_at"), rs.getLong("my_last_read_seq"));
        }
    }

    final class MemberRowMapper implements RowMapper<MemberRow> {
        @Override
        public MemberRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new MemberRow(rs.getLong("room_id"), rs.getLong("user_id"), rs.getString("username"), rs.getString("name"),
                    Columns.nullableLong(rs, "avatar_id"), RoomRole.parse(rs.getString("role")).orElseThrow(), rs.getLong("joined_at"), rs.getLong("last_read_seq"));
        }
    }

    @SqlQuery("SELECT " + ROOM_COLUMNS + """
             FROM rooms r LEFT JOIN memberships mb ON mb.room_id = r.id AND mb.user_id = :user
            WHERE r.id = :room""")
    Optional<CallerRoom> find(@Bind("room") long roomId, @Bind("user") long userId);

    /** The caller's rooms, latest activity first, strictly after the cursor (activity, id). */
    @SqlQuery("SELECT " + ROOM_COLUMNS + """
             FROM memberships mb JOIN rooms r ON r.id = mb.room_id
            WHERE mb.user_id = :user AND (r.activity_at < :at OR (r.activity_at = :at AND r.id < :id))
            ORDER BY r.activity_at DESC, r.id DESC LIMIT :limit""")
    List<CallerRoom> joined(@Bind("user") long userId, @Bind("at") long activityAt, @Bind("id") long roomId, @Bind("limit") int limit);

    /** Public group rooms whose name starts with [lo, hi) (hi null: any), by name then id, strictly after the cursor. */
    @SqlQuery("SELECT " + ROOM_COLUMNS + """
             FROM rooms r LEFT JOIN memberships mb ON mb.room_id = r.id AND mb.user_id = :user
            WHERE r.kind = 'group' AND r.private = 0
              AND r.name_key >= :lo AND (:hi IS NULL OR r.name_key < :hi)
              AND (r.name_key > :key OR (r.name_key = :key AND r.id > :id))
            ORDER BY r.name_key, r.id LIMIT :limit""")
    List<CallerRoom> directory(@Bind("user") long userId, @Bind("lo") String lo, @Bind("hi") String hi,
                               @Bind("key") String afterKey, @Bind("id") long afterId, @Bind("limit") int limit);

    /** Every room the user is in (for deleting the account). */
    @SqlQuery("SELECT " + ROOM_COLUMNS + """
             FROM memberships mb JOIN rooms r ON r.id = mb.room_id
            WHERE mb.user_id = :user ORDER BY r.id""")
    List<CallerRoom> roomsOf(@Bind("user") long userId);

    @SqlQuery("SELECT id FROM rooms WHERE direct_key = ?")
    Optional<Long> findDirect(String directKey);

    @SqlUpdate("""
            INSERT INTO rooms (kind, name, name_key, topic, private, direct_key, activity_at, created_at, updated_at)
            VALUES (:kind, :name, :nameKey, :topic, :private, :directKey, :now, :now, :now)""")
    @GetGeneratedKeys("id")
    long insert(@Bind("kind") String kind, @Bind("name") String name, @Bind("nameKey") String nameKey, @Bind("topic") String topic,
                @Bind("private") boolean isPrivate, @Bind("directKey") String directKey, @Bind("now") long now);

    @SqlUpdate("""
            UPDATE rooms SET name = :name, name_key = :nameKey, topic = :topic, private = :private, updated_at = :now
            WHERE id = :id""")
    int update(@Bind("id") long roomId, @Bind("name") String name, @Bind("nameKey") String nameKey, @Bind("topic") String topic,
               @Bind("private") boolean isPrivate, @Bind("now") long now);

    /** A direct room that lost a member no longer stands for a pair: a new user with a reused id must not find it. */
    @SqlUpdate("UPDATE rooms SET direct_key = NULL WHERE id = ?")
    int forgetPair(long roomId);

    @SqlUpdate("DELETE FROM rooms WHERE id = ?")
    int delete(long roomId);

    @SqlQuery("SELECT " + MEMBER_COLUMNS + " FROM memberships mb JOIN users u ON u.id = mb.user_id WHERE mb.room_id = :room AND mb.user_id = :user")
    Optional<MemberRow> member(@Bind("room") long roomId, @Bind("user") long userId);

    /** Members in the order they joined, strictly after the cursor (joined_at, user id). */
    @SqlQuery("SELECT " + MEMBER_COLUMNS + """
             FROM memberships mb JOIN users u ON u.id = mb.user_id
            WHERE mb.room_id = :room AND (mb.joined_at > :at OR (mb.joined_at = :at AND mb.user_id > :user))
            ORDER BY mb.joined_at, mb.user_id LIMIT :limit""")
    List<MemberRow> members(@Bind("room") long roomId, @Bind("at") long joinedAt, @Bind("user") long userId, @Bind("limit") int limit);

    @SqlQuery("SELECT user_id FROM memberships WHERE room_id = ? ORDER BY user_id")
    List<Long> memberIds(long roomId);

    @SqlQuery("SELECT user_id FROM memberships WHERE room_id = ? AND role = 'owner'")
    Optional<Long> owner(long roomId);

    /** Who becomes owner when the owner goes: the oldest admin, else the oldest member. */
    @SqlQuery("""
            SELECT user_id FROM memberships WHERE room_id = ?
            ORDER BY CASE role WHEN 'admin' THEN 0 ELSE 1 END, joined_at, user_id LIMIT 1""")
    Optional<Long> successor(long roomId);

    /** The other member of a direct room. */
    @SqlQuery("""
            SELECT u.id, u.username, u.name, u.avatar_id FROM memberships mb JOIN users u ON u.id = mb.user_id
            WHERE mb.room_id = :room AND mb.user_id <> :me""")
    Optional<PublicProfile> peer(@Bind("room") long roomId, @Bind("me") long userId);

    /** The profiles of those of {@code ids} that exist and are enabled. */
    @SqlQuery("SELECT id, username, name, avatar_id FROM users WHERE id IN (<ids>) AND disabled = 0")
    List<PublicProfile> enabledProfiles(@BindList(value = "ids", onEmpty = BindList.EmptyHandling.NULL_STRING) List<Long> ids);

    @SqlUpdate("""
            INSERT INTO memberships (room_id, user_id, role, joined_at, last_read_seq)
            VALUES (:room, :user, :role, :now, :lastReadSeq)""")
    void insertMember(@Bind("room") long roomId, @Bind("user") long userId, @Bind("role") String role, @Bind("now") long now,
                      @Bind("lastReadSeq") long lastReadSeq);

    @SqlUpdate("UPDATE memberships SET role = :role WHERE room_id = :room AND user_id = :user")
    int setRole(@Bind("room") long roomId, @Bind("user") long userId, @Bind("role") String role);

    @SqlUpdate("DELETE FROM memberships WHERE room_id = :room AND user_id = :user")
    int deleteMember(@Bind("room") long roomId, @Bind("user") long userId);

    /** Recounts after members came or went. */
    @SqlUpdate("UPDATE rooms SET member_count = (SELECT count(*) FROM memberships WHERE room_id = :room) WHERE id = :room")
    int recount(@Bind("room") long roomId);

    @SqlQuery("SELECT member_count FROM rooms WHERE id = ?")
    int memberCount(long roomId);

    /** The rooms a user is in: what realtime delivers to their sockets. */
    @SqlQuery("SELECT room_id FROM memberships WHERE user_id = ?")
    List<Long> roomIdsOf(long userId);
}
