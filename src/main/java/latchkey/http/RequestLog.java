package latchkey.http;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request: method, path, status, duration, request id. Never the query string,
 * headers or body, where tokens and passwords travel.
 */
public final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("latchkey.requests");

    private RequestLog() {
    }

    public static void log(Context ctx, Float millis) {
        if (!LOG.isInfoEnabled()) return;
        LOG.info("{} {} {} {}ms id={}", ctx.method(), ctx.path(), ctx.statusCode(), String.format("%.1f", millis), RequestIds.of(ctx));
    }
}
