package latchkey.messages;

/** A member is typing in a room (relayed at most once per {@link TypingThrottle#INTERVAL} per user and room). */
public record TypingEvent(long roomId, long userId) {
}
