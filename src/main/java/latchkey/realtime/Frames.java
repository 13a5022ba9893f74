package latchkey.realtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import latchkey.http.FileLinks;
import latchkey.http.Json;
import latchkey.identity.Principal;
import latchkey.messages.Message;
import latchkey.rooms.Room;
import latchkey.rooms.RoomRole;
import latchkey.users.PublicProfile;

import java.nio.ByteBuffer;
import java.time.Instant;

/** The frames the server sends, one record per shape; {@code type} comes first on the wire. */
final class Frames {
    private Frames() {
    }

    /** The frame as {@code viewer}'s socket gets it: the links in it are signed for that socket's session. */
    static ByteBuffer encode(Object frame, FileLinks.Signer links, Principal viewer) {
        return FileLinks.with(links.forViewer(viewer.userId(), viewer.sessionId()), () -> encode(frame));
    }

    /** The frame as UTF-8 JSON, read-only: encoded once, it goes to every socket as it is. */
    static ByteBuffer encode(Object frame) {
        try {
            return ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(frame)).asReadOnlyBuffer();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    record Ready(String type, long userId, long sessionId, Instant expiresAt) {
        Ready(long userId, long sessionId, Instant expiresAt) {
            this("ready", userId, sessionId, expiresAt);
        }
    }

    record Error(String type, String code, String detail) {
        Error(String code, String detail) {
            this("error", code, detail);
        }
    }

    record Pong(String type) {
        static final Pong INSTANCE = new Pong("pong");
    }

    record Resync(String type, long roomId) {
        Resync(long roomId) {
            this("resync", roomId);
        }
    }

    record MessageChange(String type, long roomId, long seq, Message message) {
    }

    record Read(String type, long roomId, long userId, long seq) {
        Read(long roomId, long userId, long seq) {
            this("read", roomId, userId, seq);
        }
    }

    record Typing(String type, long roomId, long userId) {
        Typing(long roomId, long userId) {
            this("typing", roomId, userId);
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RoomUpdated(String type, Room room) {
        RoomUpdated(Room room) {
            this("room.updated", room);
        }
    }

    record RoomDeleted(String type, long roomId) {
        RoomDeleted(long roomId) {
            this("room.deleted", roomId);
        }
    }

    /** member.joined, member.left, and member.updated (a role changed; an addition to the contract's list). */
    record Member(String type, long roomId, PublicProfile user, RoomRole role) {
    }

    record Presence(String type, long userId, String status) {
        static Presence online(long userId) {
            return new Presence("presence", userId, "online");
        }

        static Presence offline(long userId) {
            return new Presence("presence", userId, "offline");
        }
    }
}
