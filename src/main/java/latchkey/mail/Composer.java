package latchkey.mail;

import java.util.Optional;

/**
 * Writes the message of a queued mail just before it is sent. A link's token is made here, not
 * when the mail was asked for, so a queued mail holds nothing that could be used.
 */
public interface Composer {
    /** The message to send, or empty when it should no longer go out (no such account any more, or its email changed). */
    Optional<Mail> compose(QueuedMail mail);
}
