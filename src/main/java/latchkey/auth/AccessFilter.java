package latchkey.auth;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import latchkey.http.ApiException;
import latchkey.users.CurrentUser;

import java.util.Set;

/**
 * The before-handler of every matched route: public routes pass, every other route needs a Bearer
 * token that {@link Authenticator} accepts; admin routes also need the admin role. Deny by
 * default: a route without a role is protected.
 */
public final class AccessFilter implements Handler {
    private static final String BEARER = "Bearer ";

    private final Authenticator authenticator;

    public AccessFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void handle(Context ctx) {
        Set<?> roles = ctx.routeRoles();
        if (roles.contains(Access.PUBLIC)) return;
        Authenticator.Caller caller = authenticate(ctx.header("Authorization"));
        if (roles.contains(Access.ADMIN) && !caller.principal().isSiteAdmin()) {
            throw ApiException.forbidden("This route is for administrators.");
        }
        caller.principal().attachTo(ctx);
        CurrentUser.attach(ctx, caller.user());
    }

    private Authenticator.Caller authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.missingToken();
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiException.invalidToken("Use the Authorization scheme Bearer.");
        }
        return authenticator.authenticate(authorization.substring(BEARER.length()).trim());
    }
}
