package latchkey.auth;

import latchkey.http.ApiException;
import latchkey.identity.Principal;
import latchkey.identity.Role;
import latchkey.sessions.SessionDao;
import latchkey.sessions.SessionService;
import latchkey.tokens.AccessTokens;
import latchkey.users.UserRow;

import java.time.Instant;

/**
 * Who an access token speaks for: a valid token of a live session of an enabled user, issued
 * after the user's last password change. The one check behind both the HTTP routes and the
 * WebSocket's auth frame.
 */
public final class Authenticator {
    public record Caller(Principal principal, UserRow user, Instant expiresAt) {
    }

    private final AccessTokens tokens;
    private final SessionService sessions;

    public Authenticator(AccessTokens tokens, SessionService sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    /** The caller behind {@code accessToken}, or {@code invalid_token}. */
    public Caller authenticate(String accessToken) {
        AccessTokens.Claims claims = tokens.verify(accessToken);
        SessionDao.AccessRow access = sessions.liveAccess(claims.sessionId(), claims.userId())
                .orElseThrow(() -> ApiException.invalidToken("The session of this token has ended."));
        UserRow user = access.user();
        if (user.disabled()) throw ApiException.invalidToken("This account is disabled.");
        // iat has whole seconds; a token from the same second as the change is judged by its session.
        if (claims.issuedAt().getEpochSecond() < user.passwordChangedAt() / 1000) {
            throw ApiException.invalidToken("The password was changed after this token was issued.");
        }
        Role role = claims.role() == Role.ADMIN && user.roleValue() == Role.ADMIN ? Role.ADMIN : Role.USER;
        return new Caller(new Principal(user.id(), claims.sessionId(), role), user, claims.expiresAt());
    }
}
