package latchkey.http;

import io.javalin.http.Context;

/** An id in a path ({@code {id}}, {@code {message_id}}). One that can not name anything (not a positive number that fits) is simply not found. */
public final class PathIds {
    private PathIds() {
    }

    public static long of(Context ctx, String notFoundDetail) {
        return of(ctx, "id", notFoundDetail);
    }

    public static long of(Context ctx, String param, String notFoundDetail) {
        String raw = ctx.pathParam(param);
        if (!raw.isEmpty() && raw.length() <= 18 && raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long id = Long.parseLong(raw);
            if (id > 0) return id;
        }
        throw ApiException.notFound(notFoundDetail);
    }
}
