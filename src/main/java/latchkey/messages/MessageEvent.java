package latchkey.messages;

/**
 * A change to a room's history, published after its commit, in sequence order within the room.
 * {@code type} is the realtime event name: message.created, message.updated or message.deleted;
 * {@code seq} is the number of this change.
 */
public record MessageEvent(String type, long roomId, long seq, Message message) {
    public static final String CREATED = "message.created";
    public static final String UPDATED = "message.updated";
    public static final String DELETED = "message.deleted";
}
