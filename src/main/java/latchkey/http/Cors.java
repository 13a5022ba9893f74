package latchkey.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.util.List;

/**
 * CORS for the configured origins, on every response (errors too, or the browser hides them
 * from the app). Preflights are answered here, before routing, so they need no route of their own.
 */
public final class Cors {
    private static final String ALLOWED_METHODS = "GET, POST, PATCH, DELETE, OPTIONS";
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-Request-Id";
    private static final String EXPOSED_HEADERS = "Location, Retry-After, WWW-Authenticate, X-Request-Id";

    private final List<String> origins;
    private final boolean anyOrigin;

    public Cors(List<String> origins) {
        this.origins = List.copyOf(origins);
        this.anyOrigin = origins.contains("*");
    }

    public void apply(Context ctx) {
        ctx.header("Vary", "Origin");
        String origin = ctx.header("Origin");
        if (origin == null || !(anyOrigin || origins.contains(origin))) return;
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
            ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
            ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            ctx.header("Access-Control-Max-Age", "600");
            ctx.status(204);
            Responses.noContentType(ctx);
            ctx.skipRemainingHandlers();
        }
    }
}
