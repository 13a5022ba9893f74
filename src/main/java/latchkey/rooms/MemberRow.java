package latchkey.rooms;

/** A row of {@code memberships} with the member's profile fields. */
record MemberRow(long roomId, long userId, String username, String name, Long avatarId, RoomRole role, long joinedAt, long lastReadSeq) {
}
