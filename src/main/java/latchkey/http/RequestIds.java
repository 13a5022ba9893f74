package latchkey.http;

import io.javalin.http.Context;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * X-Request-Id: the client's when it sent a sane one, else a new one; echoed and logged.
 * A new id is UUID-shaped: 64 random bits drawn once per process and a counter, unique without
 * asking the system's random source on every request (a random UUID per request was a measurable
 * share of a {@code GET /users/me}).
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "latchkey.request-id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final long PROCESS_BITS = new SecureRandom().nextLong();
    private static final AtomicLong COUNTER = new AtomicLong();

    private RequestIds() {
    }

    public static void assign(Context ctx) {
        String sent = ctx.header(HEADER);
        String id = sent != null && SANE.matcher(sent).matches() ? sent : new UUID(PROCESS_BITS, COUNTER.incrementAndGet()).toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id != null ? id : "-";
    }
}
