package latchkey.messages;

import io.javalin.http.Context;
import latchkey.http.PathIds;
import latchkey.http.QueryParams;
import latchkey.http.RequestBody;
import latchkey.identity.Principal;
import latchkey.users.CurrentUser;

import java.util.List;

/** The history routes under /rooms/{id}: messages, the read cursor, typing. */
public final class MessageHandlers {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    /** Uploads one message may carry. */
    public static final int MAX_ATTACHMENTS = 10;

    private final MessageService messages;
    private final int maxChars;

    public MessageHandlers(MessageService messages, int maxChars) {
        this.messages = messages;
        this.maxChars = maxChars;
    }

    public void send(Context ctx) {
        long roomId = roomId(ctx);
        RequestBody body = RequestBody.read(ctx);
        List<Long> attachments = body.ids("attachment_ids", MAX_ATTACHMENTS);
        boolean textRequired = attachments == null || attachments.isEmpty();
        var message = new MessageService.NewMessage(MessageFields.text(body, "text", maxChars, textRequired),
                attachments == null ? List.of() : attachments, MessageFields.id(body, "reply_to"), MessageFields.clientId(body));
        body.requireValid();
        // The request's own thread waits for the commit and writes the answer: the commit thread
        // never writes to a socket, so a client that does not read can not hold it up.
        MessageService.Sent sent = messages.send(Principal.of(ctx), CurrentUser.of(ctx).profile(), roomId, message);
        if (sent.created()) ctx.status(201).header("Location", "/rooms/" + roomId + "/messages/" + sent.message().id());
        ctx.json(sent.message());
    }

    public void page(Context ctx) {
        long roomId = roomId(ctx);
        QueryParams query = QueryParams.of(ctx);
        Long before = query.seq("before");
        Long after = query.seq("after");
        int limit = query.limit(DEFAULT_LIMIT, MAX_LIMIT);
        if (before != null && after != null) query.reject("after", "can not be combined with before");
        query.requireValid();
        ctx.json(messages.page(Principal.of(ctx), roomId, before, after, limit));
    }

    public void get(Context ctx) {
        ctx.json(messages.get(Principal.of(ctx), roomId(ctx), messageId(ctx)));
    }

    public void edit(Context ctx) {
        long roomId = roomId(ctx);
        long messageId = messageId(ctx);
        RequestBody body = RequestBody.read(ctx);
        String text = MessageFields.text(body, "text", maxChars, true);
        body.requireValid();
        ctx.json(messages.edit(Principal.of(ctx), roomId, messageId, text));
    }

    public void delete(Context ctx) {
        messages.delete(Principal.of(ctx), roomId(ctx), messageId(ctx));
        ctx.status(204);
    }

    public void markRead(Context ctx) {
        long roomId = roomId(ctx);
        RequestBody body = RequestBody.read(ctx);
        Long seq = MessageFields.seq(body, "seq");
        body.requireValid();
        ctx.json(messages.markRead(Principal.of(ctx), roomId, seq));
    }

    public void typing(Context ctx) {
        messages.typing(Principal.of(ctx), roomId(ctx));
        ctx.status(204);
    }

    private static long roomId(Context ctx) {
        return PathIds.of(ctx, "There is no room with this id.");
    }

    private static long messageId(Context ctx) {
        return PathIds.of(ctx, "message_id", "There is no message with this id in this room.");
    }
}
