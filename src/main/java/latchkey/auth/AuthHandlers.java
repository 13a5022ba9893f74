package latchkey.auth;

import io.javalin.http.Context;
import latchkey.identity.Principal;
import latchkey.http.RequestBody;
import latchkey.sessions.SessionService;
import latchkey.tokens.TokenResponse;
import latchkey.users.CurrentUser;
import latchkey.users.UserRow;

/** The credential routes: /auth/*, POST /users/me/password and DELETE /users/me. */
public final class AuthHandlers {
    private final AuthService auth;
    private final SessionService sessions;

    public AuthHandlers(AuthService auth, SessionService sessions) {
        this.auth = auth;
        this.sessions = sessions;
    }

    public void register(Context ctx) {
        AuthRequests.Register request = AuthRequests.Register.from(RequestBody.read(ctx));
        ClientInfo client = ClientInfo.of(ctx);
        ctx.future(() -> auth.register(request, client).thenAccept(tokens -> {
            ctx.header("Location", "/users/" + tokens.user().id());
            send(ctx.status(201), tokens);
        }));
    }

    public void login(Context ctx) {
        AuthRequests.Login request = AuthRequests.Login.from(RequestBody.read(ctx));
        ClientInfo client = ClientInfo.of(ctx);
        ctx.future(() -> auth.login(request, client).thenAccept(tokens -> send(ctx, tokens)));
    }

    public void refresh(Context ctx) {
        AuthRequests.Refresh request = AuthRequests.Refresh.from(RequestBody.read(ctx));
        send(ctx, sessions.refresh(request.refreshToken(), ClientInfo.of(ctx)));
    }

    /** Public and idempotent: whatever the token, the answer is 204. */
    public void logout(Context ctx) {
        AuthRequests.Refresh request = AuthRequests.Refresh.from(RequestBody.read(ctx));
        sessions.logout(request.refreshToken());
        ctx.status(204);
    }

    public void logoutAll(Context ctx) {
        sessions.endAll(Principal.of(ctx).userId());
        ctx.status(204);
    }

    public void changePassword(Context ctx) {
        AuthRequests.ChangePassword request = AuthRequests.ChangePassword.from(RequestBody.read(ctx));
        UserRow caller = CurrentUser.of(ctx);
        ctx.future(() -> auth.changePassword(caller, request).thenRun(() -> ctx.status(204)));
    }

    public void deleteAccount(Context ctx) {
        AuthRequests.DeleteAccount request = AuthRequests.DeleteAccount.from(RequestBody.read(ctx));
        UserRow caller = CurrentUser.of(ctx);
        ctx.future(() -> auth.deleteAccount(caller, request).thenRun(() -> ctx.status(204)));
    }

    private static void send(Context ctx, TokenResponse tokens) {
        ctx.header("Cache-Control", "no-store");
        ctx.json(tokens);
    }
}
