package latchkey.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import latchkey.uploads.Upload;
import latchkey.users.PublicProfile;

import java.time.Instant;
import java.util.List;

/**
 * A message as the API shows it. A deleted one is a tombstone: it keeps its id, seq and place in
 * the history, with {@code text} null and no attachments.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Message(long id, long roomId, long seq, PublicProfile sender, String text, List<Upload> attachments,
                      Long replyTo, String clientId, Instant createdAt, Instant editedAt, boolean deleted) {
    /** The message with its uploads, in the order they were attached ({@link Attachments} reads them). */
    public static Message of(MessageRow row, List<Upload> attachments) {
        PublicProfile sender = row.senderId() == null ? null
                : new PublicProfile(row.senderId(), row.senderUsername(), row.senderName(), row.senderAvatarId());
        return new Message(row.id(), row.roomId(), row.seq(), sender, row.deleted() ? null : row.text(),
                row.deleted() ? List.of() : List.copyOf(attachments),
                row.replyTo(), row.clientId(), Instant.ofEpochMilli(row.createdAt()),
                row.editedAt() == null ? null : Instant.ofEpochMilli(row.editedAt()), row.deleted());
    }
}
