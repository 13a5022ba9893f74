package latchkey.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import latchkey.config.Config;
import latchkey.config.ConfigException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

/**
 * SMTP through Eclipse Angus Mail. With {@code starttls} the upgrade is required: a server that
 * does not offer it gets no mail rather than a plaintext link. The server's certificate and its
 * host name are checked either way. Timeouts bound every step, so a hung server can not hold the
 * mail worker (or a stop) for long.
 */
final class SmtpMailer implements Mailer {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration IO_TIMEOUT = Duration.ofSeconds(30);

    private final Session session;
    private final InternetAddress from;
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final Config.SmtpTls tls;

    SmtpMailer(Config config) {
        this.host = config.smtpHost();
        this.port = config.smtpPort();
        this.username = config.smtpUsername();
        this.password = config.smtpPassword();
        this.tls = config.smtpTls();
        this.from = Messages.from(config.mailFrom());
        Properties p = new Properties();
        p.put("mail.smtp.host", host);
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.from", from.getAddress());
        p.put("mail.smtp.connectiontimeout", Long.toString(CONNECT_TIMEOUT.toMillis()));
        p.put("mail.smtp.timeout", Long.toString(IO_TIMEOUT.toMillis()));
        p.put("mail.smtp.writetimeout", Long.toString(IO_TIMEOUT.toMillis()));
        p.put("mail.smtp.allow8bitmime", "true");
        p.put("mail.smtp.auth", Boolean.toString(!username.isEmpty()));
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        switch (tls) {
            case STARTTLS -> {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
            }
            case TLS -> p.put("mail.smtp.ssl.enable", "true");
            case NONE -> { }
        }
        config.smtpCaFile().ifPresent(file -> p.put("mail.smtp.ssl.socketFactory", trusting(file)));
        this.session = Session.getInstance(p);
    }

    @Override
    public void send(Mail mail) throws MessagingException {
        MimeMessage message = Messages.build(session, from, mail, false);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect(host, port, username.isEmpty() ? null : username, username.isEmpty() ? null : password);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    @Override
    public String describe() {
        return "sent through smtp://" + host + ":" + port + " (" + tls.name().toLowerCase(Locale.ROOT)
                + (username.isEmpty() ? ", no login" : ", login " + username) + ")";
    }

    /** TLS that trusts exactly the certificates of a PEM file: a private CA, or a relay's own certificate. */
    private static SSLSocketFactory trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + n++, cert);
            }
            if (n == 0) throw new ConfigException("mail.smtp.ca-file", pem + " holds no certificate");
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("mail.smtp.ca-file", pem + " can not be read as PEM certificates: " + e.getMessage());
        }
    }
}
