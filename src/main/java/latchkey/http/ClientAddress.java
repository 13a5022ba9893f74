package latchkey.http;

import io.javalin.http.Context;

/**
 * The client's IP. Behind a reverse proxy ({@code server.trust-proxy=true}) it is the left-most
 * address of X-Forwarded-For; otherwise that header is ignored, as anyone can send it.
 */
public final class ClientAddress {
    private static final int MAX_LENGTH = 64;

    private ClientAddress() {
    }

    public static String of(Context ctx, boolean trustProxy) {
        String remote = ctx.req().getRemoteAddr();
        if (!trustProxy) return remote;
        String forwarded = ctx.header("X-Forwarded-For");
        if (forwarded == null) return remote;
        int comma = forwarded.indexOf(',');
        String first = (comma < 0 ? forwarded : forwarded.substring(0, comma)).trim();
        return first.isEmpty() || first.length() > MAX_LENGTH ? remote : first;
    }
}
