package latchkey;

import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.JarProcess;
import latchkey.support.LogCapture;
import latchkey.support.Outbox;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static latchkey.support.Api.json;
import static latchkey.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the server logs: one line per request (method, path, status, duration, request id), and
 * never a secret: not the JWT secret, passwords, password hashes, tokens or Authorization values.
 */
class SecretsInLogsTest {
    private static final Pattern REQUEST_LINE =
            Pattern.compile("latchkey\\.requests - ([A-Z]+) (\\S+) (\\d{3}) (\\d+\\.\\d)ms id=(\\S+)");

    private record Sent(String id, String method, String path, int status) {
    }

    /** Sends requests with a known request id each and remembers what the log line must say. */
    private static final class Client {
        final Api api;
        final List<Sent> sent = new ArrayList<>();
        final List<String> secrets = new ArrayList<>();

        Client(Api api) {
            this.api = api;
        }

        Api.Res call(String method, String target, String body, String authorization) {
            Map<String, String> headers = new LinkedHashMap<>();
            String id = "log-test-" + sent.size();
            headers.put("X-Request-Id", id);
            if (body != null) headers.put("Content-Type", "application/json");
            if (authorization != null) {
                headers.put("Authorization", authorization);
                secrets.add(authorization);
            }
            Api.Res res = api.raw(method, target, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
            int query = target.indexOf('?');
            sent.add(new Sent(id, method, query < 0 ? target : target.substring(0, query), res.status()));
            return res;
        }
    }

    @Test
    void noSecretReachesTheLogAndEveryRequestHasOneLine() throws Exception {
        // Opened inside the test body: javalin-testtools swaps System.err around the body itself.
        Harness.test((api, ctx) -> {
            try (LogCapture log = new LogCapture()) {
                Client c = new Client(api);
                String password = "first-Secret-passw0rd";
                String wrong = "wrong-Secret-guess-42";
                String newPassword = "second-Secret-passw0rd";
                c.secrets.addAll(List.of(Harness.SECRET, password, wrong, newPassword));

                Api.Res reg = c.call("POST", "/auth/register", json("email", "quiet@example.com", "password", password, "username", "quiet"), null);
                assertEquals(201, reg.status());
                Api.Session s = Api.Session.of(reg);
                c.secrets.addAll(List.of(s.accessToken(), s.refreshToken()));
                Api.Res login = c.call("POST", "/auth/login", json("email", "quiet@example.com", "password", password), null);
                assertEquals(200, login.status());
                c.secrets.addAll(List.of(login.text("access_token"), login.text("refresh_token")));
                assertEquals(401, c.call("POST", "/auth/login", json("email", "quiet@example.com", "password", wrong), null).status());
                assertEquals(401, c.call("POST", "/auth/login", json("username", "nobody", "password", wrong), null).status());
                assertEquals(401, c.call("POST", "/auth/login?password=" + wrong + "&token=" + s.refreshToken(),
                        json("email", "quiet@example.com", "password", wrong), null).status());
                Api.Res refreshed = c.call("POST", "/auth/refresh?refresh_token=" + s.refreshToken(), json("refresh_token", s.refreshToken()), null);
                assertEquals(200, refreshed.status());
                c.secrets.addAll(List.of(refreshed.text("access_token"), refreshed.text("refresh_token")));
                String bearer = "Bearer " + refreshed.text("access_token");
                assertEquals(200, c.call("GET", "/users/me?access_token=" + refreshed.text("access_token"), null, bearer).status());
                assertEquals(401, c.call("GET", "/users/me", null, "Bearer garbage.Secret.token-value").status());
                assertEquals(401, c.call("GET", "/users/me", null, "Basic cXVpZXQ6Zmlyc3QtU2VjcmV0").status());
                assertEquals(400, c.call("POST", "/users/me/password", json("current_password", wrong, "new_password", newPassword), bearer).status());
                assertEquals(204, c.call("POST", "/users/me/password", json("current_password", password, "new_password", newPassword), bearer).status());
                Api.Res again = c.call("POST", "/auth/login", json("username", "quiet", "password", newPassword), null);
                assertEquals(200, again.status());
                c.secrets.addAll(List.of(again.text("access_token"), again.text("refresh_token")));
                assertEquals(204, c.call("POST", "/auth/logout", json("refresh_token", again.text("refresh_token")), null).status());
                assertEquals(400, c.call("POST", "/auth/login", "{\"password\":\"" + wrong + "\",", null).status());
                assertEquals(404, c.call("GET", "/auth/nothing?password=" + wrong, null, null).status());

                c.secrets.addAll(ctx.db().read(h -> h.createQuery("SELECT password_hash FROM users").mapTo(String.class).list()));

                String text = awaitLines(log, c.sent.size());
                for (String secret : c.secrets) {
                    assertFalse(text.contains(secret), "the log contains a secret: " + secret);
                }
                assertFalse(text.contains("Secret"), "the log contains a secret value");
                assertFalse(text.contains("$2a$"), "the log contains a bcrypt hash");
                assertOneLinePerRequest(text, c.sent);
            }
        });
    }

    @Test
    void noMailedTokenOrLinkReachesTheLog() throws Exception {
        Harness.test(Map.of("app.public-url", "https://links.example.com"), (api, ctx) -> {
            try (LogCapture log = new LogCapture()) {
                Client c = new Client(api);
                Path outbox = ctx.config().mailOutboxDir();
                String password = "mail-Secret-passw0rd";
                String reset = "reset-Secret-passw0rd";
                c.secrets.addAll(List.of(password, reset, "https://links.example.com", "token="));

                Api.Session s = Api.Session.of(c.call("POST", "/auth/register", json("email", "mailed@example.com", "password", password), null));
                Outbox.Received verify = Outbox.latest(outbox, "mailed@example.com", "verify-email", 1);
                assertEquals(202, c.call("POST", "/auth/password-reset", json("email", "mailed@example.com"), null).status());
                assertEquals(202, c.call("POST", "/auth/password-reset", json("email", "nobody-Secret@example.com"), null).status());
                Outbox.Received resetMail = Outbox.latest(outbox, "mailed@example.com", "password-reset", 1);
                assertEquals(200, c.call("GET", "/reset-password?token=" + resetMail.token(), null, null).status());
                assertEquals(200, c.call("GET", "/verify-email?token=" + verify.token(), null, null).status());
                assertEquals(200, c.call("POST", "/auth/verify-email", json("token", verify.token()), null).status());
                assertEquals(204, c.call("POST", "/auth/password-reset/confirm", json("token", resetMail.token(), "new_password", reset), null).status());
                assertEquals(400, c.call("POST", "/auth/password-reset/confirm", json("token", resetMail.token(), "new_password", reset), null).status());
                String bearer = "Bearer " + Api.Session.of(c.call("POST", "/auth/login", json("email", "mailed@example.com", "password", reset), null)).accessToken();
                assertEquals(202, c.call("POST", "/users/me/email", json("new_email", "moved@example.com", "password", reset), bearer).status());
                Outbox.Received change = Outbox.latest(outbox, "moved@example.com", "email-change", 1);
                assertEquals(200, c.call("POST", "/auth/confirm-email-change", json("token", change.token()), null).status());
                for (Outbox.Received mail : List.of(verify, resetMail, change)) c.secrets.addAll(List.of(mail.token(), mail.link()));
                c.secrets.add(s.accessToken());

                String text = awaitLines(log, c.sent.size());
                for (String secret : c.secrets) assertFalse(text.contains(secret), "the log contains a secret: " + secret);
                assertFalse(text.contains("Secret"), "the log contains a secret value");
                assertFalse(text.contains("mailed@example.com") || text.contains("moved@example.com"), "addresses stay out of the log");
                assertOneLinePerRequest(text, c.sent);
            }
        });
    }

    @Test
    void aMailThatCanNotBeSentIsLoggedByIdAndKindOnly() throws Exception {
        String smtpPassword = "smtp-Secret-password";
        Map<String, String> config = Map.of("mail.smtp.host", "localhost", "mail.smtp.port", Integer.toString(JarProcess.freePort()),
                "mail.smtp.username", "latchkey", "mail.smtp.password", smtpPassword, "mail.retry-initial", "PT0.05S");
        Harness.test(config, (api, ctx) -> {
            try (LogCapture log = new LogCapture()) {
                api.signUp("unsent@example.com");
                assertEquals(202, api.post("/auth/password-reset", json("email", "unsent@example.com")).status());
                String text = awaitContains(log, "(password-reset) not sent");
                assertTrue(text.contains("(verify-email) not sent"), text);
                assertFalse(text.contains(smtpPassword) || text.contains("unsent@example.com") || text.contains("token"), text);
            }
        });
    }

    @Test
    void anUnexpectedDatabaseErrorIsLoggedWithoutTheValuesItWasWriting() throws Exception {
        Harness.test((api, ctx) -> {
            try (LogCapture log = new LogCapture()) {
                // PostgreSQL's message for a failed check would go on to quote the whole row, hash and email included.
                ctx.db().writer().useHandle(h -> h.execute(Harness.POSTGRESQL
                        ? "ALTER TABLE users ADD CONSTRAINT disk_on_fire CHECK (email = 'nobody') NOT VALID"
                        : "CREATE TRIGGER refuse_users BEFORE INSERT ON users BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"));
                String password = "fault-Secret-passw0rd";
                Api.Res res = api.register("fault@example.com", password);
                assertProblem(res, 500, "internal_error");
                assertFalse(res.body().contains("INSERT") || res.body().contains("disk on fire") || res.body().contains("disk_on_fire") || res.body().contains("Exception"), res.body());
                String text = awaitContains(log, "unexpected error");
                assertFalse(text.contains(password), "password in the log");
                assertFalse(text.contains("$2a$"), "password hash in the log");
                assertFalse(text.contains("fault@example.com"), "the email is personal data and stays out of the log");
            }
        });
    }

    private static String awaitLines(LogCapture log, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        String text = log.text();
        while (countLines(text) < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
            text = log.text();
        }
        return text;
    }

    private static String awaitContains(LogCapture log, String needle) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!log.text().contains(needle) && System.nanoTime() < deadline) Thread.sleep(20);
        String text = log.text();
        assertTrue(text.contains(needle), "log never said: " + needle + "\n" + text);
        return text;
    }

    private static int countLines(String text) {
        int n = 0;
        for (String line : text.split("\n")) if (line.contains("id=log-test-")) n++;
        return n;
    }

    private static void assertOneLinePerRequest(String text, List<Sent> sent) {
        Map<String, List<String>> linesById = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = REQUEST_LINE.matcher(line);
            if (m.find()) linesById.computeIfAbsent(m.group(5), k -> new ArrayList<>()).add(line);
        }
        for (Sent s : sent) {
            List<String> lines = linesById.getOrDefault(s.id(), List.of());
            if (lines.size() != 1) fail("request " + s + " has " + lines.size() + " log lines: " + lines);
            Matcher m = REQUEST_LINE.matcher(lines.get(0));
            assertTrue(m.find());
            assertEquals(s.method(), m.group(1), lines.get(0));
            assertEquals(s.path(), m.group(2), "the path, without the query string: " + lines.get(0));
            assertEquals(Integer.toString(s.status()), m.group(3), lines.get(0));
        }
    }
}
