package latchkey.mail;

/** A row of {@code mail_queue}: what to send to whom; the message itself is written when it is sent. */
public record QueuedMail(long id, String kind, Long userId, String to, long createdAt, int attempts) {
}
