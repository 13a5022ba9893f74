package latchkey.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import latchkey.auth.Authenticator;
import latchkey.http.ApiException;
import latchkey.http.FileLinks;
import latchkey.http.Json;
import latchkey.messages.MessageEvent;
import latchkey.messages.MessageService;
import latchkey.rooms.RoomService;

import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /ws}: the frames a client sends. The first must authenticate (the token never goes
 * in the URL); a resume then replays from the database what the client missed, and the socket
 * goes live with no gap and no duplicate at the seam. Everything the socket receives after that
 * comes from the {@link Hub}.
 */
public final class RealtimeEndpoint {
    /** Frames are JSON text of at most 64 KiB once their fragments are joined; more closes with 1009. */
    public static final int MAX_FRAME_BYTES = 64 * 1024;
    private static final String SOCKET = "latchkey.socket";

    private final Hub hub;
    private final Authenticator authenticator;
    private final RoomService rooms;
    private final MessageService messages;
    private final FileLinks.Signer links;
    private final Limits limits;
    private final Clock clock;

    public RealtimeEndpoint(Hub hub, Authenticator authenticator, RoomService rooms, MessageService messages, FileLinks.Signer links,
                            Limits limits, Clock clock) {
        this.hub = hub;
        this.authenticator = authenticator;
        this.rooms = rooms;
        this.messages = messages;
        this.links = links;
        this.limits = limits;
        this.clock = clock;
    }

    public void configure(WsConfig ws) {
        ws.onConnect(this::connected);
        ws.onMessage(this::received);
        ws.onBinaryMessage(ctx -> error(socket(ctx), "unsupported_frame", "Frames are JSON text."));
        ws.onClose(this::closed);
        ws.onError(ctx -> hub.detach(socket(ctx)));
    }

    private void connected(WsConnectContext ctx) {
        Socket socket = new Socket(ctx.session, limits, clock.millis());
        ctx.attribute(SOCKET, socket);
        if (!hub.admit(socket)) socket.close(CloseCodes.TRY_AGAIN_LATER, "the server has too many sockets open");
    }

    private void closed(WsCloseContext ctx) {
        hub.detach(socket(ctx));
    }

    private void received(WsMessageContext ctx) {
        Socket socket = socket(ctx);
        JsonNode frame;
        try {
            frame = Json.MAPPER.readTree(ctx.message());
        } catch (JsonProcessingException e) {
            frame = null;
        }
        String type = frame != null && frame.isObject() && frame.path("type").isTextual() ? frame.get("type").asText() : null;
        if (!socket.authenticated()) {
            if ("auth".equals(type)) {
                socket.authFrameReceived = true;
                authenticate(socket, frame);
            }
            else socket.close(CloseCodes.UNAUTHORIZED, "the first frame must be auth");
            return;
        }
        if (frame == null || !frame.isObject()) {
            error(socket, "malformed_json", "A frame is a JSON object with a type.");
            return;
        }
        switch (type == null ? "" : type) {
            case "auth" -> reauthenticate(socket, frame);
            case "typing" -> typing(socket, frame);
            case "ping" -> socket.send(Frames.encode(Frames.Pong.INSTANCE), false);
            default -> error(socket, "unknown_type", "Frames from the client are auth, typing and ping.");
        }
    }

    private void authenticate(Socket socket, JsonNode frame) {
        Authenticator.Caller caller;
        try {
            caller = authenticator.authenticate(token(frame));
        } catch (ApiException e) {
            socket.close(CloseCodes.UNAUTHORIZED, e.getMessage());
            return;
        }
        Map<Long, Long> since;
        try {
            since = since(frame.get("since"));
        } catch (ApiException e) {
            // Refused, and the clock runs on: the client may send a correct auth frame in time.
            socket.authFrameReceived = false;
            error(socket, e.code(), e.getMessage());
            return;
        }
        socket.authenticate(caller.principal(), caller.expiresAt());
        Hub.Attached attached = hub.attach(socket);
        if (!attached.accepted()) {
            socket.close(CloseCodes.TOO_MANY_SOCKETS, "too many sockets open for this user");
            return;
        }
        long userId = caller.principal().userId();
        if (attached.mustLoadRooms()) hub.roomsLoaded(attached, userId, rooms.roomIdsOf(userId));
        attached.roomsLoaded().join();
        // A session that ended between the check above and the attach has had its close event already.
        try {
            authenticator.authenticate(token(frame));
        } catch (ApiException e) {
            socket.close(CloseCodes.UNAUTHORIZED, e.getMessage());
            return;
        }
        socket.send(Frames.encode(new Frames.Ready(userId, caller.principal().sessionId(), caller.expiresAt())), false);
        hub.goLive(socket, replay(socket, since));
    }

    /** Sends what the client missed in each room of {@code since}; answers the last seq sent per room. */
    private Map<Long, Long> replay(Socket socket, Map<Long, Long> since) {
        Map<Long, Long> replayedUpTo = new HashMap<>();
        if (since.isEmpty()) return replayedUpTo;
        Set<Long> member = hub.roomsOf(socket);
        for (Map.Entry<Long, Long> room : since.entrySet()) {
            long roomId = room.getKey();
            if (!member.contains(roomId)) {
                error(socket, "not_a_member", "You are not a member of room " + roomId + "; nothing to resume there.");
                continue;
            }
            Optional<List<MessageEvent>> changes = messages.changesSince(roomId, room.getValue(), limits.replayLimit());
            if (changes.isEmpty()) {
                socket.send(Frames.encode(new Frames.Resync(roomId)), false);
                continue;
            }
            long last = room.getValue();
            for (MessageEvent change : changes.get()) {
                socket.send(Frames.encode(new Frames.MessageChange(change.type(), roomId, change.seq(), change.message()), links, socket.principal), false);
                last = change.seq();
            }
            replayedUpTo.put(roomId, last);
        }
        return replayedUpTo;
    }

    private void reauthenticate(Socket socket, JsonNode frame) {
        Authenticator.Caller caller;
        try {
            caller = authenticator.authenticate(token(frame));
        } catch (ApiException e) {
            error(socket, "invalid_token", e.getMessage() + " The socket keeps its current token.");
            return;
        }
        if (caller.principal().userId() != socket.principal.userId()) {
            error(socket, "wrong_user", "A socket re-authenticates only with a token of the same user.");
            return;
        }
        socket.authenticate(caller.principal(), caller.expiresAt());
        socket.send(Frames.encode(new Frames.Ready(caller.principal().userId(), caller.principal().sessionId(), caller.expiresAt())), false);
    }

    private void typing(Socket socket, JsonNode frame) {
        JsonNode roomId = frame.get("room_id");
        if (roomId == null || !roomId.canConvertToLong() || !roomId.isIntegralNumber() || roomId.asLong() < 1) {
            error(socket, "validation_failed", "room_id must be a room id (a positive integer).");
            return;
        }
        try {
            messages.typing(socket.principal, roomId.asLong());
        } catch (ApiException e) {
            error(socket, "not_a_member", "You are not a member of room " + roomId.asLong() + ".");
        }
    }

    private static String token(JsonNode frame) {
        JsonNode token = frame.get("token");
        if (token == null || !token.isTextual() || token.asText().isBlank()) throw ApiException.missingToken();
        return token.asText();
    }

    /** {@code since}: an object of room id to the last seq the client has seen there. */
    private static Map<Long, Long> since(JsonNode since) {
        Map<Long, Long> rooms = new LinkedHashMap<>();
        if (since == null || since.isNull()) return rooms;
        if (!since.isObject()) throw ApiException.validation(Map.of("since", "must be an object of room id to seq"));
        for (Iterator<Map.Entry<String, JsonNode>> it = since.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> room = it.next();
            long roomId;
            try {
                roomId = Long.parseLong(room.getKey());
            } catch (NumberFormatException e) {
                roomId = 0;
            }
            JsonNode seq = room.getValue();
            if (roomId < 1 || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.asLong() < 0) {
                throw ApiException.validation(Map.of("since", "each key must be a room id and each value a seq (an integer >= 0)"));
            }
            rooms.put(roomId, seq.asLong());
        }
        return rooms;
    }

    private static void error(Socket socket, String code, String detail) {
        socket.send(Frames.encode(new Frames.Error(code, detail)), false);
    }

    private static Socket socket(WsContext ctx) {
        return ctx.attribute(SOCKET);
    }
}
