package latchkey.mail;

import jakarta.mail.MessagingException;
import latchkey.config.Config;

import java.io.IOException;

/** Delivers a message, or throws; the {@link MailWorker} retries what failed. */
public interface Mailer {
    void send(Mail mail) throws MessagingException, IOException;

    /** Where mail goes, for the log at start; never a password. */
    String describe();

    /** SMTP when {@code mail.smtp.host} is set, otherwise {@code .eml} files in {@code mail.outbox-dir}. */
    static Mailer of(Config config) {
        return config.smtpHost().isEmpty() ? new OutboxMailer(config.mailOutboxDir(), config.mailFrom()) : new SmtpMailer(config);
    }
}
