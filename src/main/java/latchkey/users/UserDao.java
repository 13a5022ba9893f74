package latchkey.users;

import latchkey.db.Columns;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

@RegisterRowMapper(UserDao.UserRowMapper.class)
@RegisterRowMapper(UserDao.ProfileMapper.class)
public interface UserDao {
    String USER_COLUMNS = "id, email, username, name, password_hash, role, disabled, password_changed_at, created_at, updated_at, email_verified, avatar_id";

    /*
     * Rows are mapped by hand: Jdbi's ConstructorMapper matches columns to record components by
     * reflection on every query, which cost more (up to 20 µs) than the query itself.
     */

    /** Maps {@link #USER_COLUMNS} to a {@link UserRow}. */
    final class UserRowMapper implements RowMapper<UserRow> {
        @Override
        public UserRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return read(rs);
        }

        public static UserRow read(ResultSet rs) throws SQLException {
            return new UserRow(rs.getLong("id"), rs.getString("email"), rs.getString("username"), rs.getString("name"),
                    rs.getString("password_hash"), rs.getString("role"), rs.getBoolean("disabled"),
                    rs.getLong("password_changed_at"), rs.getLong("created_at"), rs.getLong("updated_at"),
                    rs.getBoolean("email_verified"), Columns.nullableLong(rs, "avatar_id"));
        }
    }

    /** Maps {@code id, username, name, avatar_id} to a {@link PublicProfile}. */
    final class ProfileMapper implements RowMapper<PublicProfile> {
        @Override
        public PublicProfile map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new PublicProfile(rs.getLong("id"), rs.getString("username"), rs.getString("name"), Columns.nullableLong(rs, "avatar_id"));
        }
    }

    /** The new user's fields; {@code *Key} are the lower-cased lookup forms. */
    record NewUser(String email, String username, String usernameKey, String name, String nameKey,
                   String passwordHash, long now) {
    }

    @SqlUpdate("""
            INSERT INTO users (email, username, username_key, name, name_key, password_hash, password_changed_at, created_at, updated_at)
            VALUES (:email, :username, :usernameKey, :name, :nameKey, :passwordHash, :now, :now, :now)""")
    @GetGeneratedKeys("id")
    long insert(@BindMethods NewUser user);

    /** Users changed at {@code since} or later (profile, role, disabled, password). */
    @SqlQuery("SELECT id FROM users WHERE updated_at >= :since")
    List<Long> changedSince(@Bind("since") long since);

    @SqlQuery("SELECT " + USER_COLUMNS + " FROM users WHERE id = ?")
    Optional<UserRow> findById(long id);

    @SqlQuery("SELECT " + USER_COLUMNS + " FROM users WHERE email = ?")
    Optional<UserRow> findByEmail(String email);

    @SqlQuery("SELECT " + USER_COLUMNS + " FROM users WHERE username_key = ?")
    Optional<UserRow> findByUsernameKey(String usernameKey);

    @SqlQuery("SELECT id, username, name, avatar_id FROM users WHERE id = ? AND disabled = 0")
    Optional<PublicProfile> findProfile(long id);

    @SqlUpdate("""
            UPDATE users SET username = :username, username_key = :usernameKey, name = :name, name_key = :nameKey, updated_at = :now
            WHERE id = :id""")
    int updateProfile(@Bind("id") long id, @Bind("username") String username, @Bind("usernameKey") String usernameKey,
                      @Bind("name") String name, @Bind("nameKey") String nameKey, @Bind("now") long now);

    /** A changed password also moves {@code password_changed_at}: tokens issued before it stop working. */
    @SqlUpdate("UPDATE users SET password_hash = :hash, password_changed_at = :now, updated_at = :now WHERE id = :id")
    int changePassword(@Bind("id") long id, @Bind("hash") String hash, @Bind("now") long now);

    /** A re-hash at a higher cost is the same password: tokens stay valid. */
    @SqlUpdate("UPDATE users SET password_hash = :hash WHERE id = :id AND password_hash = :oldHash")
    int upgradeHash(@Bind("id") long id, @Bind("oldHash") String oldHash, @Bind("hash") String hash);

    @SqlUpdate("UPDATE users SET email_verified = 1, updated_at = :now WHERE id = :id AND email_verified = 0")
    int markEmailVerified(@Bind("id") long id, @Bind("now") long now);

    /** The address was confirmed by following a link sent to it, so it is verified too. */
    @SqlUpdate("UPDATE users SET email = :email, email_verified = 1, updated_at = :now WHERE id = :id")
    int changeEmail(@Bind("id") long id, @Bind("email") String email, @Bind("now") long now);

    @SqlUpdate("UPDATE users SET role = :role, updated_at = :now WHERE id = :id")
    int setRole(@Bind("id") long id, @Bind("role") String role, @Bind("now") long now);

    @SqlUpdate("UPDATE users SET disabled = :disabled, updated_at = :now WHERE id = :id")
    int setDisabled(@Bind("id") long id, @Bind("disabled") boolean disabled, @Bind("now") long now);

    @SqlUpdate("DELETE FROM users WHERE id = ?")
    int delete(long id);

    /** Enabled users whose username or name starts with the prefix [lo, hi), in id order after a cursor. */
    @SqlQuery("""
            SELECT id, username, name, avatar_id FROM users
            WHERE id IN (SELECT id FROM users WHERE username_key >= :lo AND username_key < :hi
                         UNION SELECT id FROM users WHERE name_key >= :lo AND name_key < :hi)
              AND id > :after AND disabled = 0
            ORDER BY id LIMIT :limit""")
    List<PublicProfile> searchProfiles(@Bind("lo") String lo, @Bind("hi") String hi, @Bind("after") long after, @Bind("limit") int limit);

    /**
     * How many usernames and names fall in [lo, hi), counting at most {@code cap}: tells
     * {@link #searchProfiles} (few matches) from {@link #scanProfiles} (many), without reading more
     * than {@code cap} index entries in all (the LIMIT stops the compound as a whole).
     */
    @SqlQuery("""
            SELECT count(*) FROM (SELECT 1 FROM users WHERE username_key >= :lo AND username_key < :hi
                                  UNION ALL SELECT 1 FROM users WHERE name_key >= :lo AND name_key < :hi
                                  LIMIT :cap) AS matches""")
    int countPrefixMatches(@Bind("lo") String lo, @Bind("hi") String hi, @Bind("cap") int cap);

    /**
     * The same rows as {@link #searchProfiles}, found by walking the table in id order from the
     * cursor: when many users match, the first {@code limit} come after a few rows, where the
     * index ranges would have to be read and sorted whole.
     */
    @SqlQuery("""
            SELECT id, username, name, avatar_id FROM users <not_indexed>
            WHERE id > :after AND disabled = 0
              AND ((username_key >= :lo AND username_key < :hi) OR (name_key >= :lo AND name_key < :hi))
            ORDER BY id LIMIT :limit""")
    List<PublicProfile> scanProfiles(@Bind("lo") String lo, @Bind("hi") String hi, @Bind("after") long after, @Bind("limit") int limit);

    @SqlQuery("SELECT id, username, name, avatar_id FROM users WHERE id > :after AND disabled = 0 ORDER BY id LIMIT :limit")
    List<PublicProfile> listProfiles(@Bind("after") long after, @Bind("limit") int limit);

    /** Every user (disabled too) whose email, username or name starts with the prefix. */
    @SqlQuery("SELECT " + USER_COLUMNS + """
             FROM users
            WHERE id IN (SELECT id FROM users WHERE username_key >= :lo AND username_key < :hi
                         UNION SELECT id FROM users WHERE name_key >= :lo AND name_key < :hi
                         UNION SELECT id FROM users WHERE email >= :lo AND email < :hi)
              AND id > :after
            ORDER BY id LIMIT :limit""")
    List<UserRow> searchUsers(@Bind("lo") String lo, @Bind("hi") String hi, @Bind("after") long after, @Bind("limit") int limit);

    @SqlQuery("SELECT " + USER_COLUMNS + " FROM users WHERE id > :after ORDER BY id LIMIT :limit")
    List<UserRow> listUsers(@Bind("after") long after, @Bind("limit") int limit);
}
