package latchkey.users;

import latchkey.identity.Role;
import io.javalin.http.Context;
import latchkey.identity.Principal;
import latchkey.http.RequestBody;

/** The administrator routes under /admin. */
public final class AdminHandlers {
    private final UserService users;

    public AdminHandlers(UserService users) {
        this.users = users;
    }

    public void list(Context ctx) {
        ctx.json(users.searchAll(Page.parse(ctx.queryParam("q"), ctx.queryParam("limit"), ctx.queryParam("after"))));
    }

    public void update(Context ctx) {
        RequestBody body = RequestBody.read(ctx);
        String role = body.string("role");
        Role parsedRole = role == null ? null : Role.parse(role).orElse(null);
        if (role != null && parsedRole == null) body.reject("role", "must be user or admin");
        Boolean disabled = body.bool("disabled");
        body.requireValid();
        long id = UserHandlers.userId(ctx);
        ctx.json(users.adminUpdate(Principal.of(ctx).userId(), id, new UserService.AdminChange(parsedRole, disabled)));
    }

    public void delete(Context ctx) {
        users.adminDelete(Principal.of(ctx).userId(), UserHandlers.userId(ctx));
        ctx.status(204);
    }
}
