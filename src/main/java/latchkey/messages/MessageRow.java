package latchkey.messages;

/** A row of {@code messages} with its sender's profile fields (null once the account is gone). */
public record MessageRow(long id, long roomId, long seq, long changeSeq, Long senderId, String senderUsername, String senderName,
                         Long senderAvatarId, String text, Long replyTo, String clientId, long createdAt, Long editedAt, boolean deleted) {
}
