package latchkey.users;

import io.javalin.http.Context;

/**
 * The caller's own user row, as the access check loaded it: {@code GET /users/me}, the password
 * checks and a sent message's sender answer from it without another lookup. Everything else
 * knows the caller by {@link latchkey.identity.Principal}.
 */
public final class CurrentUser {
    private static final String ATTRIBUTE = "latchkey.user-row";

    private CurrentUser() {
    }

    public static void attach(Context ctx, UserRow row) {
        ctx.attribute(ATTRIBUTE, row);
    }

    public static UserRow of(Context ctx) {
        UserRow row = ctx.attribute(ATTRIBUTE);
        if (row == null) throw new IllegalStateException("route " + ctx.path() + " is public but asked for the caller");
        return row;
    }
}
