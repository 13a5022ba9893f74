package latchkey.rooms;

/** A row of {@code rooms}. */
record RoomRow(long id, String kind, String name, String topic, boolean isPrivate, int memberCount, long lastSeq,
               Long lastMessageId, long activityAt, long createdAt, long updatedAt) {
    static final String GROUP = "group";
    static final String DIRECT = "direct";

    boolean isDirect() {
        return DIRECT.equals(kind);
    }
}
