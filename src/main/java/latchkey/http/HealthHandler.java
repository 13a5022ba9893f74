package latchkey.http;

import io.javalin.http.Context;
import latchkey.db.Database;

import java.util.Map;

/** GET /health: 200 when the database answers, 503 when it does not. */
public final class HealthHandler {
    private static final Map<String, String> OK = Map.of("status", "ok");

    private final Database db;

    public HealthHandler(Database db) {
        this.db = db;
    }

    public void check(Context ctx) {
        if (!db.isReachable()) throw ApiException.unavailable("The database does not answer.");
        ctx.json(OK);
    }
}
