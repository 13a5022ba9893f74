package latchkey.sessions;

import latchkey.db.Columns;
import latchkey.users.UserDao;
import latchkey.users.UserRow;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Rows are mapped by hand, for the reason given in {@link UserDao}. */
@RegisterRowMapper(SessionDao.RefreshRowMapper.class)
@RegisterRowMapper(SessionDao.AccessRowMapper.class)
@RegisterRowMapper(SessionDao.SessionRowMapper.class)
public interface SessionDao {
    /** A refresh token with the state of its session. */
    record RefreshRow(long sessionId, long userId, long expiresAt, Long spentAt, Long sessionRevokedAt, long sessionExpiresAt) {
    }

    /** A session with its user: everything the check of an access token needs, in one lookup. */
    record AccessRow(long sessionExpiresAt, Long sessionRevokedAt, UserRow user) {
    }

    record SessionRow(long id, long createdAt, long lastUsedAt, String userAgent, String ip) {
    }

    final class RefreshRowMapper implements RowMapper<RefreshRow> {
        @Override
        public RefreshRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new RefreshRow(rs.getLong("session_id"), rs.getLong("user_id"), rs.getLong("expires_at"),
                    Columns.nullableLong(rs, "spent_at"), Columns.nullableLong(rs, "session_revoked_at"), rs.getLong("session_expires_at"));
        }
    }

    final class AccessRowMapper implements RowMapper<AccessRow> {
        @Override
        public AccessRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new AccessRow(rs.getLong("session_expires_at"), Columns.nullableLong(rs, "session_revoked_at"),
                    UserDao.UserRowMapper.read(rs));
        }
    }

    final class SessionRowMapper implements RowMapper<SessionRow> {
        @Override
        public SessionRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new SessionRow(rs.getLong("id"), rs.getLong("created_at"), rs.getLong("last_used_at"),
                    rs.getString("user_agent"), rs.getString("ip"));
        }
    }

    @SqlUpdate("""
            INSERT INTO sessions (user_id, created_at, last_used_at, expires_at, user_agent, ip)
            VALUES (:userId, :now, :now, :expiresAt, :userAgent, :ip)""")
    @GetGeneratedKeys("id")
    long insertSession(@Bind("userId") long userId, @Bind("now") long now, @Bind("expiresAt") long expiresAt,
                       @Bind("userAgent") String userAgent, @Bind("ip") String ip);

    @SqlUpdate("INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES (:hash, :sessionId, :now, :expiresAt)")
    void insertRefreshToken(@Bind("hash") byte[] hash, @Bind("sessionId") long sessionId, @Bind("now") long now, @Bind("expiresAt") long expiresAt);

    @SqlQuery("""
            SELECT r.session_id, s.user_id, r.expires_at, r.spent_at, s.revoked_at AS session_revoked_at, s.expires_at AS session_expires_at
            FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id
            WHERE r.token_hash = ?""")
    Optional<RefreshRow> findRefreshToken(byte[] hash);

    @SqlUpdate("UPDATE refresh_tokens SET spent_at = :now WHERE token_hash = :hash AND spent_at IS NULL")
    int spendRefreshToken(@Bind("hash") byte[] hash, @Bind("now") long now);

    @SqlUpdate("""
            UPDATE sessions SET last_used_at = :now, expires_at = :expiresAt, user_agent = :userAgent, ip = :ip
            WHERE id = :id""")
    int touch(@Bind("id") long id, @Bind("now") long now, @Bind("expiresAt") long expiresAt,
              @Bind("userAgent") String userAgent, @Bind("ip") String ip);

    @SqlUpdate("UPDATE sessions SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
    int revoke(@Bind("id") long id, @Bind("now") long now);

    @SqlUpdate("UPDATE sessions SET revoked_at = :now WHERE id = :id AND user_id = :userId AND revoked_at IS NULL AND expires_at > :now")
    int revokeOwn(@Bind("id") long id, @Bind("userId") long userId, @Bind("now") long now);

    @SqlUpdate("UPDATE sessions SET revoked_at = :now WHERE user_id = :userId AND revoked_at IS NULL")
    int revokeAll(@Bind("userId") long userId, @Bind("now") long now);

    @SqlQuery("""
            SELECT id, created_at, last_used_at, user_agent, ip FROM sessions
            WHERE user_id = :userId AND revoked_at IS NULL AND expires_at > :now
            ORDER BY last_used_at DESC, id DESC""")
    List<SessionRow> listLive(@Bind("userId") long userId, @Bind("now") long now);

    @SqlQuery("""
            SELECT s.expires_at AS session_expires_at, s.revoked_at AS session_revoked_at,
                   u.id, u.email, u.username, u.name, u.password_hash, u.role, u.disabled,
                   u.password_changed_at, u.created_at, u.updated_at, u.email_verified, u.avatar_id
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.id = :sessionId AND s.user_id = :userId""")
    Optional<AccessRow> findAccess(@Bind("sessionId") long sessionId, @Bind("userId") long userId);

    /** Sessions ended at {@code since} or later: what another node may have ended while this one was not listening. */
    @SqlQuery("SELECT user_id, id FROM sessions WHERE revoked_at >= :since")
    @RegisterRowMapper(EndedMapper.class)
    List<AccessChange.SessionEnded> endedSince(@Bind("since") long since);

    final class EndedMapper implements RowMapper<AccessChange.SessionEnded> {
        @Override
        public AccessChange.SessionEnded map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new AccessChange.SessionEnded(rs.getLong("user_id"), rs.getLong("id"));
        }
    }

    /** Housekeeping: tokens and sessions that can no longer be used by anyone. */
    @SqlUpdate("DELETE FROM refresh_tokens WHERE expires_at < :now")
    int deleteExpiredRefreshTokens(@Bind("now") long now);

    @SqlUpdate("DELETE FROM sessions WHERE expires_at < :now OR revoked_at < :revokedBefore")
    int deleteDeadSessions(@Bind("now") long now, @Bind("revokedBefore") long revokedBefore);
}
