package latchkey.users;

import io.javalin.http.Context;
import latchkey.identity.Principal;
import latchkey.http.PathIds;
import latchkey.http.RequestBody;

/** The profile routes under /users. */
public final class UserHandlers {
    private final UserService users;

    public UserHandlers(UserService users) {
        this.users = users;
    }

    public void me(Context ctx) {
        ctx.json(CurrentUser.of(ctx).view());
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
        ctx.json(users.profile(userId(ctx)));
    }

    /** The user id of the path; one that can not exist is as not found as one that does not. */
    static long userId(Context ctx) {
        return PathIds.of(ctx, "There is no user with this id.");
    }
}
