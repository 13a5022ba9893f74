package latchkey.auth;

import io.javalin.http.Context;
import latchkey.users.Role;
import latchkey.users.UserRow;

/**
 * The caller of a protected route, set by {@link AccessFilter}. {@code role} is the lower of the
 * token's role and the user's current one: a promotion needs a new token, a demotion is at once.
 */
public record Principal(long userId, long sessionId, Role role, UserRow user) {
    private static final String ATTRIBUTE = "latchkey.principal";

    public static Principal of(Context ctx) {
        Principal principal = ctx.attribute(ATTRIBUTE);
        if (principal == null) throw new IllegalStateException("route " + ctx.path() + " is public but asked for the caller");
        return principal;
    }

    void attachTo(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
        ctx.attribute("user-id", userId);
    }
}
