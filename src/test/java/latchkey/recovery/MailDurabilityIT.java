package latchkey.recovery;

import jakarta.mail.internet.MimeMessage;
import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.JarProcess;
import latchkey.support.Outbox;
import latchkey.support.SmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static latchkey.support.Api.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 202 is a mail that will go out: the packaged server queues mails while its SMTP server is
 * unreachable, is killed with SIGKILL, and restarted with a working SMTP server (GreenMail in this
 * JVM); every mail arrives, each exactly once, and its link works.
 */
class MailDurabilityIT {
    private static final int USERS = 5;

    @TempDir
    Path dir;

    @Test
    void mailsQueuedBeforeAKillAreAllSentOnceAfterTheRestart() throws Exception {
        Map<String, String> env = JarProcess.env(dir);
        env.put("JWT_SECRET", "mail-durability-secret-0123456789abcdef0123");
        env.put("MAIL_SMTP_HOST", "localhost");
        env.put("MAIL_SMTP_PORT", Integer.toString(JarProcess.freePort()));
        env.put("MAIL_SMTP_TLS", "none");
        env.put("MAIL_RETRY_INITIAL", "PT0.2S");
        env.put("MAIL_RETRY_MAX", "PT0.5S");
        env.put("APP_PUBLIC_URL", "https://chat.example.com");
        List<String> emails = new ArrayList<>();
        try (JarProcess first = JarProcess.start(dir, env)) {
            for (int i = 0; i < USERS; i++) {
                String email = "kept" + i + "@example.com";
                emails.add(email);
                assertEquals(201, first.api.register(email, Harness.PASSWORD).status());
                assertEquals(202, first.api.post("/auth/password-reset", json("email", email)).status());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (queue()[1] < 1 && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals(2 * USERS, queue()[0], "every mail is queued");
            assertTrue(queue()[1] >= 1, "and each was tried (and failed) before the kill");
            first.process().destroyForcibly();
            assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
        }

        try (SmtpServer smtp = SmtpServer.plain(JarProcess.freePort(), false)) {
            Map<String, String> restart = new HashMap<>(env);
            restart.put("SERVER_PORT", Integer.toString(JarProcess.freePort()));
            restart.put("MAIL_SMTP_PORT", Integer.toString(smtp.port()));
            try (JarProcess second = JarProcess.start(dir, restart)) {
                List<MimeMessage> received = smtp.await(2 * USERS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (queue()[0] > 0 && System.nanoTime() < deadline) Thread.sleep(50);
                Thread.sleep(1_500);
                received = smtp.received();
                assertEquals(2 * USERS, received.size(), "each mail exactly once");
                assertEquals(0, queue()[0], "the queue is empty");
                Map<String, List<String>> subjects = new TreeMap<>();
                for (MimeMessage m : received) {
                    Outbox.Received mail = Outbox.parse(m, "?");
                    subjects.computeIfAbsent(mail.to(), k -> new ArrayList<>()).add(mail.subject());
                }
                for (String email : emails) {
                    assertEquals(List.of("Confirm your email address for Latchkey", "Reset your Latchkey password"),
                            subjects.get(email).stream().sorted().toList(), email);
                }
                Outbox.Received reset = received.stream().map(m -> Outbox.parse(m, "?"))
                        .filter(m -> m.subject().startsWith("Reset")).findFirst().orElseThrow();
                Api.Res confirmed = second.api.post("/auth/password-reset/confirm", json("token", reset.token(), "new_password", "after the crash"));
                assertEquals(204, confirmed.status(), confirmed.body());
                assertEquals(0, second.stop());
            }
        }
    }

    /** Rows in the queue and the fewest attempts among them. */
    private int[] queue() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("latchkey.db")); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), coalesce(min(attempts), 0) FROM mail_queue")) {
            rs.next();
            return new int[]{rs.getInt(1), rs.getInt(2)};
        }
    }
}
