package latchkey.rooms;

import latchkey.users.PublicProfile;

import java.util.List;

/** Changes to rooms and their membership, published after commit. */
public sealed interface RoomEvent {
    long roomId();

    /** Name, topic or privacy changed; {@code room} as every member sees it (no one's membership in it). */
    record Updated(Room room) implements RoomEvent {
        @Override
        public long roomId() {
            return room.id();
        }
    }

    /** The room is gone; {@code memberIds} were its members at the end. */
    record Deleted(long roomId, List<Long> memberIds) implements RoomEvent {
    }

    /** Someone joined or was added (also the creator and the first members of a new room). */
    record MemberJoined(long roomId, PublicProfile user, RoomRole role) implements RoomEvent {
    }

    /** Someone left or was removed. */
    record MemberLeft(long roomId, PublicProfile user, RoomRole role) implements RoomEvent {
    }

    /** A member's role changed (an ownership passed on, an admin granted). */
    record RoleChanged(long roomId, PublicProfile user, RoomRole role) implements RoomEvent {
    }
}
