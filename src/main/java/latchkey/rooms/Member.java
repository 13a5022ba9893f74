package latchkey.rooms;

import latchkey.users.PublicProfile;

import java.time.Instant;

/** A member of a room as the API shows it. */
public record Member(PublicProfile user, RoomRole role, Instant joinedAt, long lastReadSeq) {
    static Member of(MemberRow row) {
        return new Member(new PublicProfile(row.userId(), row.username(), row.name(), row.avatarId()), row.role(),
                Instant.ofEpochMilli(row.joinedAt()), row.lastReadSeq());
    }
}
