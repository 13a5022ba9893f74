package latchkey.rooms;

import io.javalin.http.Context;
import latchkey.http.PathIds;
import latchkey.http.QueryParams;
import latchkey.http.RequestBody;
import latchkey.identity.Principal;

import java.util.List;

/** The routes of rooms and their members under /rooms. */
public final class RoomHandlers {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    /** The most members a create request may name: above it the room would be full anyway. */
    private final int maxMembers;
    private final RoomService rooms;

    public RoomHandlers(RoomService rooms, int maxMembers) {
        this.rooms = rooms;
        this.maxMembers = maxMembers;
    }

    public void create(Context ctx) {
        RequestBody body = RequestBody.read(ctx);
        String name = RoomFields.name(body, true);
        String topic = RoomFields.topic(body);
        Boolean isPrivate = body.bool("private");
        List<Long> memberIds = body.ids("member_ids", maxMembers);
        body.requireValid();
        Room room = rooms.create(Principal.of(ctx), new RoomService.NewRoom(name, topic, Boolean.TRUE.equals(isPrivate),
                memberIds == null ? List.of() : memberIds));
        ctx.status(201).header("Location", "/rooms/" + room.id()).json(room);
    }

    public void openDirect(Context ctx) {
        RequestBody body = RequestBody.read(ctx);
        long userId = RoomFields.userId(body);
        body.requireValid();
        RoomService.Opened opened = rooms.openDirect(Principal.of(ctx), userId);
        if (opened.created()) ctx.status(201);
        ctx.header("Location", "/rooms/" + opened.room().id()).json(opened.room());
    }

    public void list(Context ctx) {
        QueryParams query = QueryParams.of(ctx);
        String scope = query.oneOf("scope", "joined", "joined", "public");
        String q = query.text("q", RoomFields.NAME_MAX);
        int limit = query.limit(DEFAULT_LIMIT, MAX_LIMIT);
        String after = query.cursor("after");
        if (scope.equals("joined") && q != null) query.reject("q", "searches the public directory: use it with scope=public");
        Principal caller = Principal.of(ctx);
        if (scope.equals("public")) {
            Cursors.NamePosition position = after == null ? null : Cursors.namePosition(after).orElse(null);
            if (after != null && position == null) query.reject("after", "must be a cursor returned as next");
            query.requireValid();
            ctx.json(rooms.directory(caller, q, limit, position));
        } else {
            Cursors.Position position = after == null ? null : Cursors.position(after).orElse(null);
            if (after != null && position == null) query.reject("after", "must be a cursor returned as next");
            query.requireValid();
            ctx.json(rooms.joined(caller, limit, position));
        }
    }

    public void get(Context ctx) {
        ctx.json(rooms.get(Principal.of(ctx), roomId(ctx)));
    }

    public void update(Context ctx) {
        long roomId = roomId(ctx);
        RequestBody body = RequestBody.read(ctx);
        var change = new RoomService.RoomChange(body.has("name"), RoomFields.name(body, false),
                body.has("topic"), RoomFields.topic(body), body.bool("private"));
        if (change.setName() && change.name() == null) body.reject("name", "can not be removed from a group room");
        body.requireValid();
        ctx.json(rooms.update(Principal.of(ctx), roomId, change));
    }

    public void delete(Context ctx) {
        rooms.delete(Principal.of(ctx), roomId(ctx));
        ctx.status(204);
    }

    public void join(Context ctx) {
        ctx.json(rooms.join(Principal.of(ctx), roomId(ctx)));
    }

    public void leave(Context ctx) {
        rooms.leave(Principal.of(ctx), roomId(ctx));
        ctx.status(204);
    }

    public void members(Context ctx) {
        long roomId = roomId(ctx);
        QueryParams query = QueryParams.of(ctx);
        int limit = query.limit(DEFAULT_LIMIT, MAX_LIMIT);
        String after = query.cursor("after");
        Cursors.Position position = after == null ? null : Cursors.position(after).orElse(null);
        if (after != null && position == null) query.reject("after", "must be a cursor returned as next");
        query.requireValid();
        ctx.json(rooms.members(Principal.of(ctx), roomId, limit, position));
    }

    public void putMember(Context ctx) {
        long roomId = roomId(ctx);
        long userId = userId(ctx);
        // The body is optional: a PUT without one adds a member.
        RoomRole role = null;
        if (ctx.contentType() != null || ctx.req().getContentLengthLong() > 0) {
            RequestBody body = RequestBody.read(ctx);
            role = RoomFields.role(body);
            body.requireValid();
        }
        RoomService.MemberChange change = rooms.putMember(Principal.of(ctx), roomId, userId, role);
        ctx.status(change.added() ? 201 : 200).json(change.member());
    }

    public void removeMember(Context ctx) {
        rooms.removeMember(Principal.of(ctx), roomId(ctx), userId(ctx));
        ctx.status(204);
    }

    private static long roomId(Context ctx) {
        return PathIds.of(ctx, "There is no room with this id.");
    }

    private static long userId(Context ctx) {
        return PathIds.of(ctx, "user_id", "This user is not a member of this room.");
    }
}
