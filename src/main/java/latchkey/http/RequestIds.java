package latchkey.http;

import io.javalin.http.Context;

import java.util.UUID;
import java.util.regex.Pattern;

/** X-Request-Id: the client's when it sent a sane one, else a new one; echoed and logged. */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "latchkey.request-id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    public static void assign(Context ctx) {
        String sent = ctx.header(HEADER);
        String id = sent != null && SANE.matcher(sent).matches() ? sent : UUID.randomUUID().toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id != null ? id : "-";
    }
}
