package latchkey.recovery;

import latchkey.db.Database;
import latchkey.http.ApiException;
import latchkey.tokens.RefreshTokens;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The tokens of mailed links: 256 random bits made the way refresh tokens are, stored only as
 * their SHA-256, used once. A token works until it expires, is used, is replaced by a newer one of
 * the same purpose, or (for resets and email changes) the password changes.
 */
final class AccountTokens {
    /** Far longer than any token we make; a longer string is not looked up at all. */
    private static final int MAX_LENGTH = 128;

    /** A token that works: whose it is, and the address its link was sent to. */
    record Grant(long userId, String email) {
    }

    private final Database db;
    private final Clock clock;

    AccountTokens(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Makes a token (voiding the user's older ones of this purpose) inside the caller's transaction. */
    String issue(Handle h, long userId, Purpose purpose, String email, Duration ttl) {
        long now = clock.millis();
        TokenDao dao = h.attach(TokenDao.class);
        dao.deleteExpired(now);
        dao.deleteFor(userId, purpose.wireName());
        String token = RefreshTokens.generate();
        dao.insert(RefreshTokens.hash(token), userId, purpose.wireName(), email, now, now + ttl.toMillis());
        return token;
    }

    /** Whether the token works now, without using it: a cheap check before the password is hashed. */
    Optional<Grant> peek(String token, Purpose purpose) {
        if (!plausible(token)) return Optional.empty();
        return db.read(TokenDao.class, dao -> dao.find(RefreshTokens.hash(token))).flatMap(row -> valid(row, purpose));
    }

    /** Uses the token up inside the caller's transaction; empty when it does not work. */
    Optional<Grant> spend(Handle h, String token, Purpose purpose) {
        if (!plausible(token)) return Optional.empty();
        TokenDao dao = h.attach(TokenDao.class);
        byte[] hash = RefreshTokens.hash(token);
        Optional<Grant> grant = dao.find(hash).flatMap(row -> valid(row, purpose));
        grant.ifPresent(g -> dao.delete(hash));
        return grant;
    }

    /** Voids every token of the user, inside the caller's transaction. */
    void voidAll(Handle h, long userId) {
        h.attach(TokenDao.class).deleteAllFor(userId);
    }

    private Optional<Grant> valid(TokenDao.TokenRow row, Purpose purpose) {
        boolean works = row.purpose().equals(purpose.wireName()) && row.expiresAt() > clock.millis()
                && !(purpose.endsWithPasswordChange() && row.createdAt() < row.passwordChangedAt());
        return works ? Optional.of(new Grant(row.userId(), row.email())) : Optional.empty();
    }

    /** The answer to a token that does not work, whatever the reason: the field {@code token} is invalid. */
    static ApiException refused() {
        return ApiException.validation(Map.of("token", "is invalid, used or expired; ask for a new link"));
    }

    private static boolean plausible(String token) {
        return token != null && !token.isEmpty() && token.length() <= MAX_LENGTH;
    }
}
