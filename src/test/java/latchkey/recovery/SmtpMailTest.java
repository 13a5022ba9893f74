package latchkey.recovery;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.JarProcess;
import latchkey.support.Outbox;
import latchkey.support.SmtpServer;
import latchkey.support.StartTlsRelay;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static latchkey.support.Api.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mail through a real SMTP server (GreenMail in this JVM): what arrives, STARTTLS and TLS with the
 * certificate and host name checked, authentication, and an outage that loses nothing.
 */
class SmtpMailTest {
    private static Map<String, String> smtp(int port, String tls) {
        Map<String, String> c = new HashMap<>();
        c.put("mail.smtp.host", "localhost");
        c.put("mail.smtp.port", Integer.toString(port));
        c.put("mail.smtp.tls", tls);
        c.put("mail.from", "Chat <no-reply@chat.example.com>");
        c.put("mail.product-name", "Chat");
        c.put("app.public-url", "https://chat.example.com");
        c.put("mail.retry-initial", "PT0.1S");
        c.put("mail.retry-max", "PT0.4S");
        return c;
    }

    private static Map<String, String> withLogin(Map<String, String> c, String password) {
        c.put("mail.smtp.username", SmtpServer.USER);
        c.put("mail.smtp.password", password);
        c.put("mail.smtp.ca-file", SmtpServer.CA_FILE.toString());
        return c;
    }

    private static Outbox.Received only(List<MimeMessage> received, String to, String kind) {
        List<Outbox.Received> matching = received.stream().map(m -> Outbox.parse(m, kind)).filter(m -> m.to().equals(to)).toList();
        assertEquals(1, matching.size(), "mails to " + to + ": " + matching);
        return matching.get(0);
    }

    private static String path(String link) {
        assertTrue(link.startsWith("https://chat.example.com/"), link);
        return link.substring("https://chat.example.com".length());
    }

    @Test
    void eachMailReachesItsRecipientWithItsSubjectAndAWorkingLink() throws Exception {
        try (SmtpServer server = SmtpServer.plain(JarProcess.freePort(), false)) {
            Harness.test(smtp(server.port(), "none"), (api, ctx) -> {
                api.signUp("ada@example.com");
                Outbox.Received verify = only(server.await(1), "ada@example.com", "verify-email");
                assertEquals("Confirm your email address for Chat", verify.subject());
                assertEquals(new InternetAddress("Chat <no-reply@chat.example.com>"), server.received().get(0).getFrom()[0]);
                assertTrue(path(verify.link()).startsWith("/verify-email?token="), verify.link());
                assertEquals(200, api.post("/auth/verify-email", json("token", verify.token())).status());

                assertEquals(202, api.post("/auth/password-reset", json("email", "ada@example.com")).status());
                assertEquals(202, api.post("/auth/password-reset", json("email", "nobody@example.com")).status());
                List<MimeMessage> received = server.await(2);
                Outbox.Received reset = Outbox.parse(received.get(1), "password-reset");
                assertEquals("ada@example.com", reset.to());
                assertEquals("Reset your Chat password", reset.subject());
                String page = api.get(path(reset.link())).body();
                assertTrue(page.contains("Choose a new password"), page);
                assertEquals(204, api.post("/auth/password-reset/confirm", json("token", reset.token(), "new_password", "reset over smtp")).status());
                assertEquals(200, api.login("ada@example.com", "reset over smtp").status());

                Outbox.Received notice = Outbox.parse(server.await(3).get(2), "password-changed");
                assertEquals("ada@example.com", notice.to());
                assertEquals("Your Chat password was changed", notice.subject());
                PasswordResetTest.awaitEmptyQueue(ctx);
                assertEquals(3, server.received().size(), "nothing for the address without an account");
            });
        }
    }

    @Test
    void startTlsWithALoginAndTheCertificateChecked() throws Exception {
        try (SmtpServer server = SmtpServer.plain(JarProcess.freePort(), true);
             StartTlsRelay relay = StartTlsRelay.start(0, server.port())) {
            Harness.test(withLogin(smtp(relay.port(), "starttls"), SmtpServer.PASSWORD), (api, ctx) -> {
                api.signUp("tls@example.com");
                Outbox.Received verify = only(server.await(1), "tls@example.com", "verify-email");
                assertEquals(200, api.post("/auth/verify-email", json("token", verify.token())).status());
                assertEquals(1, relay.handshakes(), "the mail went over TLS");
            });
        }
    }

    @Test
    void implicitTlsWithALogin() throws Exception {
        try (SmtpServer server = SmtpServer.implicitTls(JarProcess.freePort())) {
            Harness.test(withLogin(smtp(server.port(), "tls"), SmtpServer.PASSWORD), (api, ctx) -> {
                api.signUp("smtps@example.com");
                only(server.await(1), "smtps@example.com", "verify-email");
            });
        }
    }

    @Test
    void aWrongLoginAnUntrustedCertificateOrAServerWithoutStartTlsGetNoMail() throws Exception {
        try (SmtpServer plain = SmtpServer.plain(JarProcess.freePort(), true);
             StartTlsRelay relay = StartTlsRelay.start(0, plain.port());
             SmtpServer smtps = SmtpServer.implicitTls(JarProcess.freePort())) {
            Map<String, Map<String, String>> cases = new TreeMap<>();
            cases.put("a wrong password", withLogin(smtp(relay.port(), "starttls"), "not the password"));
            cases.put("no STARTTLS offered", withLogin(smtp(plain.port(), "starttls"), SmtpServer.PASSWORD));
            Map<String, String> untrusted = withLogin(smtp(smtps.port(), "tls"), SmtpServer.PASSWORD);
            untrusted.remove("mail.smtp.ca-file");
            cases.put("a certificate the JVM does not trust", untrusted);
            Map<String, String> errors = new TreeMap<>();
            cases.forEach((name, config) -> Harness.test(config, (api, ctx) -> {
                api.signUp("refused@example.com");
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (attempts(ctx) < 2 && System.nanoTime() < deadline) Thread.sleep(20);
                assertTrue(attempts(ctx) >= 2, name + ": the worker keeps trying");
                errors.put(name, ctx.db().read(h -> h.createQuery("SELECT last_error FROM mail_queue").mapTo(String.class).one()));
            }));
            assertEquals(0, plain.received().size() + smtps.received().size(), errors.toString());
            assertTrue(errors.get("a wrong password").contains("AuthenticationFailedException"), errors.toString());
            assertTrue(errors.get("a certificate the JVM does not trust").contains("SSLHandshakeException"), errors.toString());
        }
    }

    @Test
    void aMailServerThatIsDownLosesNoMailAndSendsNoneTwice() throws Exception {
        int port = JarProcess.freePort();
        SmtpServer server = SmtpServer.plain(port, false);
        server.stop();
        try {
            Harness.test(smtp(port, "none"), (api, ctx) -> {
                List<String> emails = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    String email = "outage" + i + "@example.com";
                    emails.add(email);
                    api.signUp(email);
                    assertEquals(202, api.post("/auth/password-reset", json("email", email)).status());
                }
                // Asked three times while the server is down: only the newest link goes out; the others would be void.
                assertEquals(202, api.post("/auth/password-reset", json("email", emails.get(0))).status());
                assertEquals(202, api.post("/auth/password-reset", json("email", emails.get(0))).status());
                long deadline = System.nanoTime() + 10_000_000_000L;
                while ((attempts(ctx) < 3 * 10 || PasswordResetTest.queued(ctx) > 10) && System.nanoTime() < deadline) Thread.sleep(20);
                assertEquals(10, PasswordResetTest.queued(ctx), "every mail is still queued while the server is down, less the two superseded");

                server.start();
                server.await(10);
                PasswordResetTest.awaitEmptyQueue(ctx);
                Thread.sleep(1_000);
                List<MimeMessage> received = server.received();
                assertEquals(10, received.size(), "each mail exactly once");
                Map<String, Integer> perRecipient = new TreeMap<>();
                for (MimeMessage m : received) perRecipient.merge(m.getRecipients(MimeMessage.RecipientType.TO)[0].toString(), 1, Integer::sum);
                for (String email : emails) assertEquals(2, perRecipient.get(email), "a verification and a reset for " + email);
                String newest = received.stream().map(m -> Outbox.parse(m, "?"))
                        .filter(m -> m.to().equals(emails.get(0)) && m.subject().startsWith("Reset")).findFirst().orElseThrow().token();
                assertEquals(204, api.post("/auth/password-reset/confirm", json("token", newest, "new_password", "after the outage")).status());
            });
        } finally {
            server.close();
        }
    }

    private static int attempts(Harness.Context ctx) {
        return ctx.db().read(h -> h.createQuery("SELECT coalesce(sum(attempts), 0) FROM mail_queue").mapTo(Integer.class).one());
    }
}
