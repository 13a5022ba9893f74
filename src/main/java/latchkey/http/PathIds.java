package latchkey.http;

import io.javalin.http.Context;

/** The {@code {id}} of a path. One that can not name anything (not a positive number that fits) is simply not found. */
public final class PathIds {
    private PathIds() {
    }

    public static long of(Context ctx, String notFoundDetail) {
        String raw = ctx.pathParam("id");
        if (!raw.isEmpty() && raw.length() <= 18 && raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long id = Long.parseLong(raw);
            if (id > 0) return id;
        }
        throw ApiException.notFound(notFoundDetail);
    }
}
