package latchkey.sessions;

import io.javalin.http.Context;
import latchkey.identity.Principal;
import latchkey.http.PathIds;

import java.util.List;

/** The caller's own sessions: /users/me/sessions. */
public final class SessionHandlers {
    public record SessionList(List<SessionService.SessionView> sessions) {
    }

    private final SessionService sessions;

    public SessionHandlers(SessionService sessions) {
        this.sessions = sessions;
    }

    public void list(Context ctx) {
        Principal caller = Principal.of(ctx);
        ctx.json(new SessionList(sessions.list(caller.userId(), caller.sessionId())));
    }

    public void end(Context ctx) {
        sessions.endOwn(Principal.of(ctx).userId(), PathIds.of(ctx, "You have no live session with this id."));
        ctx.status(204);
    }
}
