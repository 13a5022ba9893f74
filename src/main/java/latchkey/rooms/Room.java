package latchkey.rooms;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import latchkey.messages.Message;
import latchkey.users.PublicProfile;

import java.time.Instant;

/**
 * A room as the API shows it to one caller: {@code membership} is the caller's (null for a room
 * they only look at), {@code peer} the other member of a direct room (null for groups, and once
 * that account is gone).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Room(long id, String kind, String name, String topic, @JsonProperty("private") boolean isPrivate,
                   Instant createdAt, Instant updatedAt, int memberCount, long lastSeq, Message lastMessage,
                   PublicProfile peer, Membership membership) {

    public Room withoutMembership() {
        return new Room(id, kind, name, topic, isPrivate, createdAt, updatedAt, memberCount, lastSeq, lastMessage, peer, null);
    }

    public record Membership(RoomRole role, Instant joinedAt, long lastReadSeq, int unreadCount) {
    }
}
