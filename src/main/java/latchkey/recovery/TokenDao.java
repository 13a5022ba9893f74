package latchkey.recovery;

import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The mailed links' tokens, by hash. Rows are mapped by hand, for the reason given in {@link latchkey.users.UserDao}. */
@RegisterRowMapper(TokenDao.TokenRowMapper.class)
interface TokenDao {
    /** A token with what decides whether it still works: its expiry and its user's last password change. */
    record TokenRow(long userId, String purpose, String email, long createdAt, long expiresAt, long passwordChangedAt) {
    }

    final class TokenRowMapper implements RowMapper<TokenRow> {
        @Override
        public TokenRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new TokenRow(rs.getLong("user_id"), rs.getString("purpose"), rs.getString("email"), rs.getLong("created_at"),
                    rs.getLong("expires_at"), rs.getLong("password_changed_at"));
        }
    }

    @SqlUpdate("""
            INSERT INTO account_tokens (token_hash, user_id, purpose, email, created_at, expires_at)
            VALUES (:hash, :userId, :purpose, :email, :now, :expiresAt)""")
    void insert(@Bind("hash") byte[] hash, @Bind("userId") long userId, @Bind("purpose") String purpose,
                @Bind("email") String email, @Bind("now") long now, @Bind("expiresAt") long expiresAt);

    @SqlQuery("""
            SELECT t.user_id, t.purpose, t.email, t.created_at, t.expires_at, u.password_changed_at
            FROM account_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = ?""")
    Optional<TokenRow> find(byte[] hash);

    @SqlUpdate("DELETE FROM account_tokens WHERE token_hash = ?")
    int delete(byte[] hash);

    /** A newer token voids the older ones of the same purpose and user. */
    @SqlUpdate("DELETE FROM account_tokens WHERE user_id = :userId AND purpose = :purpose")
    int deleteFor(@Bind("userId") long userId, @Bind("purpose") String purpose);

    /** An email change voids every link sent to the old address. */
    @SqlUpdate("DELETE FROM account_tokens WHERE user_id = ?")
    int deleteAllFor(long userId);

    @SqlUpdate("DELETE FROM account_tokens WHERE expires_at <= ?")
    int deleteExpired(long now);
}
