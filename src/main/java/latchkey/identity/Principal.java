package latchkey.identity;

import io.javalin.http.Context;

/**
 * The caller of a protected route, set by the access filter before any handler runs. Every
 * feature reads it; it depends on nothing but Javalin's context. {@code role} is the lower of the
 * token's role and the user's current one: a promotion needs a new token, a demotion is at once.
 */
public record Principal(long userId, long sessionId, Role role) {
    private static final String ATTRIBUTE = "latchkey.principal";

    public static Principal of(Context ctx) {
        Principal principal = ctx.attribute(ATTRIBUTE);
        if (principal == null) throw new IllegalStateException("route " + ctx.path() + " is public but asked for the caller");
        return principal;
    }

    /** The caller, on a protected route; empty on a public one. */
    public static java.util.Optional<Principal> find(Context ctx) {
        return java.util.Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }

    public boolean isSiteAdmin() {
        return role == Role.ADMIN;
    }

    public void attachTo(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
        ctx.attribute("user-id", userId);
    }
}
