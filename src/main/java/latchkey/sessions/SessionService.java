package latchkey.sessions;

import latchkey.auth.ClientInfo;
import latchkey.db.Database;
import latchkey.events.EventBus;
import latchkey.http.ApiException;
import latchkey.tokens.AccessTokens;
import latchkey.tokens.RefreshTokens;
import latchkey.tokens.TokenResponse;
import latchkey.users.UserDao;
import latchkey.users.UserRow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Sessions and their refresh tokens: opening one at sign-in, rotating its refresh token,
 * detecting a stolen token by its reuse, ending one or all. Every change that ends a session or
 * a user's right to one publishes an {@link AccessChange}: the access cache forgets it before the
 * caller hears back, so a token stops at once, and realtime closes the session's sockets.
 */
public final class SessionService {
    /** A session in the owner's list; {@code current} marks the one the request came with. */
    public record SessionView(long id, Instant createdAt, Instant lastUsedAt, String userAgent, String ip, boolean current) {
    }

    private enum Outcome { ROTATED, INVALID, STOLEN }

    private record Rotation(Outcome outcome, long sessionId, long userId) {
        static final Rotation INVALID = new Rotation(Outcome.INVALID, 0, 0);
    }

    private final Database db;
    private final AccessTokens accessTokens;
    private final AccessCache cache;
    private final EventBus events;
    private final Duration refreshTtl;
    private final Duration reuseGrace;
    private final Clock clock;

    public SessionService(Database db, AccessTokens accessTokens, AccessCache cache, EventBus events, Duration refreshTtl, Duration reuseGrace,
                          Clock clock) {
        this.db = db;
        this.accessTokens = accessTokens;
        this.cache = cache;
        this.events = events;
        this.refreshTtl = refreshTtl;
        this.reuseGrace = reuseGrace;
        this.clock = clock;
    }

    /** Opens a session for a user who has just proved who they are. */
    public TokenResponse open(UserRow user, ClientInfo client) {
        long now = clock.millis();
        long expiresAt = now + refreshTtl.toMillis();
        String refreshToken = RefreshTokens.generate();
        long sessionId = db.writer().inTransaction(h -> {
            SessionDao dao = h.attach(SessionDao.class);
            long id = dao.insertSession(user.id(), now, expiresAt, client.userAgent(), client.ip());
            dao.insertRefreshToken(RefreshTokens.hash(refreshToken), id, now, expiresAt);
            return id;
        });
        return tokens(user, sessionId, refreshToken);
    }

    /**
     * Rotates a refresh token. A token spent within the reuse grace is a second tab racing the
     * first and gets its own new token; one spent earlier than that is a replay, and ends the session.
     */
    public TokenResponse refresh(String refreshToken, ClientInfo client) {
        byte[] hash = RefreshTokens.hash(refreshToken);
        String next = RefreshTokens.generate();
        long now = clock.millis();
        long expiresAt = now + refreshTtl.toMillis();
        Rotation rotation = db.writer().inTransaction(h -> {
            SessionDao dao = h.attach(SessionDao.class);
            Optional<SessionDao.RefreshRow> found = dao.findRefreshToken(hash);
            if (found.isEmpty()) return Rotation.INVALID;
            SessionDao.RefreshRow row = found.get();
            if (row.sessionRevokedAt() != null || row.sessionExpiresAt() <= now || row.expiresAt() <= now) return Rotation.INVALID;
            if (row.spentAt() != null && now - row.spentAt() > reuseGrace.toMillis()) {
                dao.revoke(row.sessionId(), now);
                return new Rotation(Outcome.STOLEN, row.sessionId(), row.userId());
            }
            dao.spendRefreshToken(hash, now);
            dao.insertRefreshToken(RefreshTokens.hash(next), row.sessionId(), now, expiresAt);
            dao.touch(row.sessionId(), now, expiresAt, client.userAgent(), client.ip());
            return new Rotation(Outcome.ROTATED, row.sessionId(), row.userId());
        });
        switch (rotation.outcome()) {
            case STOLEN -> {
                events.publish(new AccessChange.SessionEnded(rotation.userId(), rotation.sessionId()));
                throw ApiException.invalidToken("This refresh token was already used; the session has been ended. Sign in again.");
            }
            case INVALID -> throw ApiException.invalidToken("The refresh token is unknown, expired or revoked.");
            case ROTATED -> cache.forget(rotation.sessionId());
        }
        UserRow user = db.read(UserDao.class, dao -> dao.findById(rotation.userId()))
                .filter(u -> !u.disabled())
                .orElseThrow(() -> ApiException.invalidToken("The account of this session is disabled or gone."));
        return tokens(user, rotation.sessionId(), next);
    }

    /** Ends the session of a refresh token; unknown and spent tokens are fine (logout is idempotent). */
    public void logout(String refreshToken) {
        db.read(SessionDao.class, dao -> dao.findRefreshToken(RefreshTokens.hash(refreshToken))).ifPresent(row -> {
            db.writer().useExtension(SessionDao.class, dao -> dao.revoke(row.sessionId(), clock.millis()));
            events.publish(new AccessChange.SessionEnded(row.userId(), row.sessionId()));
        });
    }

    public void endAll(long userId) {
        db.writer().useExtension(SessionDao.class, dao -> dao.revokeAll(userId, clock.millis()));
        events.publish(new AccessChange.SessionsEnded(userId));
    }

    /** Ends one of the user's own live sessions; another user's session is "not found". */
    public void endOwn(long userId, long sessionId) {
        int ended = db.writer().withExtension(SessionDao.class, dao -> dao.revokeOwn(sessionId, userId, clock.millis()));
        if (ended == 0) throw ApiException.notFound("You have no live session with this id.");
        events.publish(new AccessChange.SessionEnded(userId, sessionId));
    }

    public List<SessionView> list(long userId, long currentSessionId) {
        return db.read(SessionDao.class, dao -> dao.listLive(userId, clock.millis())).stream()
                .map(s -> new SessionView(s.id(), Instant.ofEpochMilli(s.createdAt()), Instant.ofEpochMilli(s.lastUsedAt()),
                        s.userAgent(), s.ip(), s.id() == currentSessionId))
                .toList();
    }

    /**
     * Deletes what can never be used again: expired refresh tokens, expired sessions, and
     * sessions ended more than a day ago (kept that long so their owner still sees them gone).
     */
    public int prune() {
        long now = clock.millis();
        return db.writer().inTransaction(h -> {
            SessionDao dao = h.attach(SessionDao.class);
            return dao.deleteExpiredRefreshTokens(now) + dao.deleteDeadSessions(now, now - Duration.ofDays(1).toMillis());
        });
    }

    /**
     * The session and user behind an access token, if the session is live and belongs to that
     * user. Served from {@link AccessCache}: this is on the path of every protected request.
     */
    public Optional<SessionDao.AccessRow> liveAccess(long sessionId, long userId) {
        long now = clock.millis();
        return cache.get(sessionId, () -> db.read(SessionDao.class, dao -> dao.findAccess(sessionId, userId)))
                .filter(row -> row.user().id() == userId && row.sessionRevokedAt() == null && row.sessionExpiresAt() > now);
    }

    private TokenResponse tokens(UserRow user, long sessionId, String refreshToken) {
        String access = accessTokens.issue(user.id(), sessionId, user.roleValue());
        return TokenResponse.bearer(access, accessTokens.ttl().toSeconds(), refreshToken, user.view());
    }
}
