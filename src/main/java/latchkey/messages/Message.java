package latchkey.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import latchkey.users.PublicProfile;

import java.time.Instant;
import java.util.List;

/**
 * A message as the API shows it. A deleted one is a tombstone: it keeps its id, seq and place in
 * the history, with {@code text} null and no attachments.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Message(long id, long roomId, long seq, PublicProfile sender, String text, List<Object> attachments,
                      Long replyTo, String clientId, Instant createdAt, Instant editedAt, boolean deleted) {
    public static Message of(MessageRow row) {
        PublicProfile sender = row.senderId() == null ? null : new PublicProfile(row.senderId(), row.senderUsername(), row.senderName(), null);
        return new Message(row.id(), row.roomId(), row.seq(), sender, row.deleted() ? null : row.text(), List.of(),
                row.replyTo(), row.clientId(), Instant.ofEpochMilli(row.createdAt()),
                row.editedAt() == null ? null : Instant.ofEpochMilli(row.editedAt()), row.deleted());
    }
}
