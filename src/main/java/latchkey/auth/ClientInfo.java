package latchkey.auth;

import io.javalin.http.Context;

/** Who is calling, as the owner of a session sees it in the session list. */
public record ClientInfo(String ip, String userAgent) {
    private static final int MAX_USER_AGENT = 256;

    public static ClientInfo of(Context ctx) {
        String agent = ctx.userAgent();
        if (agent != null && agent.length() > MAX_USER_AGENT) agent = agent.substring(0, MAX_USER_AGENT);
        return new ClientInfo(ctx.ip(), agent);
    }
}
