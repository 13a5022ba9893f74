package latchkey.messages;

import latchkey.db.Tx;
import latchkey.http.ApiException;
import latchkey.identity.Principal;

import java.util.Collection;
import java.util.Map;

/**
 * Who may do what with a room's history is the rooms feature's rule; this is what messages asks
 * of it. Rooms implements it, so this package never depends on rooms.
 */
public interface RoomGate {
    /**
     * The caller's standing in a room. Throws not_found when the caller may not even know that the
     * room exists (a private or direct room they are not in).
     */
    Standing standing(long roomId, Principal caller);

    /** The same, read inside a write transaction: authoritative for what that transaction does. */
    Standing standing(Tx tx, long roomId, Principal caller);

    /**
     * The standings of several callers in one room, read at once inside a write transaction, by
     * user id. A caller the room is hidden from (where {@link #standing} throws {@link #noSuchRoom()}) has none.
     */
    Map<Long, Standing> standings(Tx tx, long roomId, Collection<Principal> callers);

    /** What a caller hears of a room that does not exist, or that they may not know of. */
    static ApiException noSuchRoom() {
        return ApiException.notFound("There is no room with this id.");
    }

    /**
     * @param member    the caller is in the room (may post, read-mark, type)
     * @param moderator the caller may delete other people's messages (room owner or admin, site admin)
     * @param lastSeq   the room's latest sequence number, as of the read
     */
    record Standing(boolean member, boolean moderator, long lastSeq) {
    }
}
