package latchkey.messages;

/** A member's read cursor moved forward to {@code seq}. */
public record ReadEvent(long roomId, long userId, long seq) {
}
