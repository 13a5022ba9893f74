package latchkey.mail;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.UUID;

/** Builds the MIME message of a {@link Mail}: multipart/alternative, plain text first, then HTML. */
final class Messages {
    private Messages() {
    }

    /**
     * {@code readable}: the parts are written as they are (7bit, or 8bit UTF-8), never
     * quoted-printable, which would turn every {@code =} of a link into {@code =3D}, so that a
     * developer can read an outbox file and find its link with grep. Over SMTP the encoding is
     * left to Jakarta Mail, which knows what the server accepts.
     */
    static MimeMessage build(Session session, InternetAddress from, Mail mail, boolean readable) throws MessagingException {
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                // Jakarta Mail's default asks the system for the local host name, which can hang on a badly set up host.
                setHeader("Message-ID", "<" + UUID.randomUUID() + "@" + domain(from) + ">");
            }
        };
        message.setFrom(from);
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
        message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        MimeBodyPart text = new MimeBodyPart();
        text.setText(mail.text(), StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
        if (readable) {
            text.setHeader("Content-Transfer-Encoding", plainEncoding(mail.text()));
            html.setHeader("Content-Transfer-Encoding", plainEncoding(mail.html()));
        }
        message.setContent(new MimeMultipart("alternative", text, html));
        message.saveChanges();
        return message;
    }

    private static String plainEncoding(String body) {
        return body.chars().allMatch(c -> c < 128) ? "7bit" : "8bit";
    }

    private static String domain(InternetAddress address) {
        String a = address.getAddress();
        return a.substring(a.indexOf('@') + 1);
    }

    /** The one address of {@code mail.from}, already checked when the configuration was read. */
    static InternetAddress from(String configured) {
        try {
            return InternetAddress.parse(configured, true)[0];
        } catch (MessagingException e) {
            throw new IllegalStateException("mail.from was checked at start", e);
        }
    }
}
