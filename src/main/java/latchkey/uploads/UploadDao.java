package latchkey.uploads;

import latchkey.db.Columns;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Uploads, the files waiting to be removed ({@code upload_trash}) and users' avatars. Rows are mapped by hand, as in {@code UserDao}. */
@RegisterRowMapper(UploadDao.UploadRowMapper.class)
public interface UploadDao {
    String COLUMNS = """
            u.id, u.owner_id, u.purpose, u.message_id, m.room_id, u.name, u.content_type, u.size, u.width, u.height,
            u.file_key, u.thumb_key, u.thumb_type, u.stored_bytes, u.digest, u.created_at
            FROM uploads u LEFT JOIN messages m ON m.id = u.message_id""";

    final class UploadRowMapper implements RowMapper<UploadRow> {
        @Override
        public UploadRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new UploadRow(rs.getLong("id"), rs.getLong("owner_id"), rs.getString("purpose"), Columns.nullableLong(rs, "message_id"),
                    Columns.nullableLong(rs, "room_id"), rs.getString("name"), rs.getString("content_type"), rs.getLong("size"),
                    nullableInt(rs, "width"), nullableInt(rs, "height"), rs.getString("file_key"), rs.getString("thumb_key"),
                    rs.getString("thumb_type"), rs.getLong("stored_bytes"), rs.getString("digest"), rs.getLong("created_at"));
        }

        private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
            int value = rs.getInt(column);
            return rs.wasNull() ? null : value;
        }
    }

    record NewUpload(long ownerId, String purpose, String name, String contentType, long size, Integer width, Integer height,
                     String fileKey, String thumbKey, String thumbType, long storedBytes, String digest, long createdAt) {
    }

    @SqlQuery("""
            INSERT INTO uploads (owner_id, purpose, name, content_type, size, width, height, file_key, thumb_key, thumb_type,
                                 stored_bytes, digest, created_at)
            VALUES (:ownerId, :purpose, :name, :contentType, :size, :width, :height, :fileKey, :thumbKey, :thumbType,
                    :storedBytes, :digest, :createdAt) RETURNING id""")
    long insert(@BindMethods NewUpload upload);

    @SqlQuery("SELECT " + COLUMNS + " WHERE u.id = ?")
    Optional<UploadRow> find(long id);

    @SqlQuery("SELECT coalesce(sum(stored_bytes), 0) FROM uploads WHERE owner_id = ?")
    long usedBytes(long ownerId);

    /** The uploads these messages carry, each message's in the order they were attached. */
    @SqlQuery("SELECT " + COLUMNS + " WHERE u.message_id IN (<messages>) ORDER BY u.message_id, u.id")
    List<UploadRow> ofMessages(@BindList(value = "messages", onEmpty = BindList.EmptyHandling.NULL_STRING) List<Long> messageIds);

    /** How many of these are the sender's own uploads that are in no message yet. */
    @SqlQuery("""
            SELECT count(*) FROM uploads
            WHERE id IN (<ids>) AND owner_id = :owner AND purpose = 'attachment' AND message_id IS NULL""")
    int countAttachable(@Bind("owner") long ownerId, @BindList("ids") List<Long> uploadIds);

    /** Attaches the sender's own uploads that are in no message yet; returns how many it attached. */
    @SqlUpdate("""
            UPDATE uploads SET message_id = :message
            WHERE id IN (<ids>) AND owner_id = :owner AND purpose = 'attachment' AND message_id IS NULL""")
    int attach(@Bind("message") long messageId, @Bind("owner") long ownerId, @BindList("ids") List<Long> uploadIds);

    @SqlQuery("SELECT avatar_id FROM users WHERE id = ?")
    Optional<Long> avatarOf(long userId);

    @SqlUpdate("UPDATE users SET avatar_id = :avatar, updated_at = :now WHERE id = :user")
    int setAvatar(@Bind("user") long userId, @Bind("avatar") Long uploadId, @Bind("now") long now);

    @SqlUpdate("DELETE FROM uploads WHERE id = ?")
    int delete(long id);

    @SqlUpdate("DELETE FROM uploads WHERE owner_id = ?")
    int deleteOwnedBy(long ownerId);

    /** Attachments never sent, uploaded before {@code before}. */
    @SqlUpdate("DELETE FROM uploads WHERE purpose = 'attachment' AND message_id IS NULL AND created_at < :before")
    int deleteUnsent(@Bind("before") long before);

    @SqlQuery("SELECT file_key FROM upload_trash LIMIT :limit")
    List<String> trash(@Bind("limit") int limit);

    @SqlUpdate("DELETE FROM upload_trash WHERE file_key IN (<keys>)")
    int forget(@BindList("keys") List<String> keys);

    /** Which of these keys an upload or the trash still names. */
    @SqlQuery("""
            SELECT file_key FROM uploads WHERE file_key IN (<keys>)
            UNION SELECT thumb_key FROM uploads WHERE thumb_key IN (<keys>)
            UNION SELECT file_key FROM upload_trash WHERE file_key IN (<keys>)""")
    List<String> named(@BindList("keys") List<String> keys);
}
