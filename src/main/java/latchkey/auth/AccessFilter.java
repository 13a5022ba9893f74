package latchkey.auth;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import latchkey.http.ApiException;
import latchkey.identity.Principal;
import latchkey.identity.Role;
import latchkey.sessions.SessionDao;
import latchkey.sessions.SessionService;
import latchkey.tokens.AccessTokens;
import latchkey.users.CurrentUser;
import latchkey.users.UserRow;

import java.util.Set;

/**
 * The before-handler of every matched route: public routes pass, every other route needs a valid
 * access token of a live session of an enabled user, issued after the user's last password
 * change; admin routes also need the admin role. Deny by default: a route without a role is
 * protected.
 */
public final class AccessFilter implements Handler {
    private static final String BEARER = "Bearer ";

    private final AccessTokens tokens;
    private final SessionService sessions;

    public AccessFilter(AccessTokens tokens, SessionService sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    @Override
    public void handle(Context ctx) {
        Set<?> roles = ctx.routeRoles();
        if (roles.contains(Access.PUBLIC)) return;
        Caller caller = authenticate(ctx.header("Authorization"));
        if (roles.contains(Access.ADMIN) && !caller.principal().isSiteAdmin()) {
            throw ApiException.forbidden("This route is for administrators.");
        }
        caller.principal().attachTo(ctx);
        CurrentUser.attach(ctx, caller.user());
    }

    private record Caller(Principal principal, UserRow user) {
    }

    private Caller authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.missingToken();
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiException.invalidToken("Use the Authorization scheme Bearer.");
        }
        AccessTokens.Claims claims = tokens.verify(authorization.substring(BEARER.length()).trim());
        SessionDao.AccessRow access = sessions.liveAccess(claims.sessionId(), claims.userId())
                .orElseThrow(() -> ApiException.invalidToken("The session of this token has ended."));
        UserRow user = access.user();
        if (user.disabled()) throw ApiException.invalidToken("This account is disabled.");
        // iat has whole seconds; a token from the same second as the change is judged by its session.
        if (claims.issuedAt().getEpochSecond() < user.passwordChangedAt() / 1000) {
            throw ApiException.invalidToken("The password was changed after this token was issued.");
        }
        Role role = claims.role() == Role.ADMIN && user.roleValue() == Role.ADMIN ? Role.ADMIN : Role.USER;
        return new Caller(new Principal(user.id(), claims.sessionId(), role), user);
    }
}
