package latchkey.http;

import io.javalin.http.Context;

/** Headers every response carries, set before routing so that errors carry them too. */
public final class Responses {
    private Responses() {
    }

    public static void secureHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        String path = ctx.path();
        // Tokens, personal data and private conversations: never kept by a browser or proxy cache.
        if (path.startsWith("/auth/") || path.equals("/users/me") || path.startsWith("/users/me/") || path.startsWith("/admin/")
                || path.equals("/rooms") || path.startsWith("/rooms/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    /** A 204 has no body, so it gets no Content-Type either (Javalin would default it to text/plain). */
    public static void noContentType(Context ctx) {
        if (ctx.statusCode() == 204) ctx.res().setContentType(null);
    }
}
