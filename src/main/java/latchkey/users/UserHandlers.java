package latchkey.users;

import io.javalin.http.Context;
import latchkey.auth.Principal;
import latchkey.http.ApiException;
import latchkey.http.RequestBody;

/** The profile routes under /users. */
public final class UserHandlers {
    private final UserService users;

    public UserHandlers(UserService users) {
        this.users = users;
    }

    public void me(Context ctx) {
        ctx.json(Principal.of(ctx).user().view());
    }

    /** Only username and name can change here; id, role, email and the rest are ignored when sent. */
    public void updateMe(Context ctx) {
        RequestBody body = RequestBody.read(ctx);
        var change = new UserService.ProfileChange(body.has("username"), UserFields.username(body, "username"),
                body.has("name"), UserFields.name(body, "name"));
        body.requireValid();
        ctx.json(users.updateProfile(Principal.of(ctx).userId(), change));
    }

    public void search(Context ctx) {
        ctx.json(users.search(Page.parse(ctx.queryParam("q"), ctx.queryParam("limit"), ctx.queryParam("after"))));
    }

    public void profile(Context ctx) {
        ctx.json(users.profile(pathId(ctx)));
    }

    /** A path id that can not name a user (not a positive number that fits) is simply not found. */
    public static long pathId(Context ctx) {
        String raw = ctx.pathParam("id");
        if (raw.length() <= 18 && !raw.isEmpty() && raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long id = Long.parseLong(raw);
            if (id > 0) return id;
        }
        throw ApiException.notFound("There is no user with this id.");
    }
}
