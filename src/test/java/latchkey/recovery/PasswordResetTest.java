package latchkey.recovery;

import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.MutableClock;
import latchkey.support.Outbox;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static latchkey.support.Api.json;
import static latchkey.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /auth/password-reset and /confirm, through the outbox: what the mail says, and what its token can and can not do. */
class PasswordResetTest {
    static final String PUBLIC_URL = "https://chat.example.com";
    private static final String NEW_PASSWORD = "a brand new passphrase";

    static Map<String, String> publicUrl() {
        return Map.of("app.public-url", PUBLIC_URL);
    }

    static Path outbox(Harness.Context ctx) {
        return ctx.config().mailOutboxDir();
    }

    /** Asks for a reset and returns the token of the mail that answers it (the {@code n}th reset mail to that address). */
    static String resetToken(Api api, Harness.Context ctx, String email, int n) {
        assertEquals(202, api.post("/auth/password-reset", json("email", email)).status());
        return Outbox.latest(outbox(ctx), email, "password-reset", n).token();
    }

    @Test
    void theMailCarriesALinkToThePublicUrlWhoseTokenSetsTheNewPasswordAndEndsEverySession() {
        Harness.test(publicUrl(), (api, ctx) -> {
            Api.Session first = api.signUp("ada@example.com");
            Api.Session second = Api.Session.of(api.login("ada@example.com", Harness.PASSWORD));

            Api.Res accepted = api.post("/auth/password-reset", json("email", "ada@example.com"));
            assertEquals(202, accepted.status(), accepted.body());
            assertEquals("accepted", accepted.text("status"));
            Outbox.Received mail = Outbox.latest(outbox(ctx), "ada@example.com", "password-reset", 1);
            assertEquals("Reset your Latchkey password", mail.subject());
            assertTrue(mail.link().startsWith(PUBLIC_URL + "/reset-password?token="), mail.link());
            assertTrue(mail.html().contains("href=\"" + mail.link() + "\""), mail.html());
            assertTrue(mail.text().contains("30 minutes"), mail.text());
            assertEquals(43, mail.token().length(), "256 bits, base64url");

            Api.Res confirmed = api.post("/auth/password-reset/confirm", json("token", mail.token(), "new_password", NEW_PASSWORD));
            assertEquals(204, confirmed.status(), confirmed.body());
            for (Api.Session s : List.of(first, second)) {
                assertProblem(api.get("/users/me", s.accessToken()), 401, "invalid_token");
                assertProblem(api.post("/auth/refresh", json("refresh_token", s.refreshToken())), 401, "invalid_token");
            }
            assertProblem(api.login("ada@example.com", Harness.PASSWORD), 401, "invalid_credentials");
            Api.Res login = api.login("ada@example.com", NEW_PASSWORD);
            assertEquals(200, login.status(), login.body());
            assertTrue(login.json().at("/user/email_verified").asBoolean(), "the link proved the address");

            Outbox.Received notice = Outbox.latest(outbox(ctx), "ada@example.com", "password-changed", 1);
            assertEquals("Your Latchkey password was changed", notice.subject());
            assertFalse(notice.text().contains("token"), notice.text());
        });
    }

    @Test
    void aTokenWorksOnce() {
        Harness.test((api, ctx) -> {
            api.signUp("once@example.com");
            String token = resetToken(api, ctx, "once@example.com", 1);
            assertEquals(204, api.post("/auth/password-reset/confirm", json("token", token, "new_password", NEW_PASSWORD)).status());
            Api.Res again = api.post("/auth/password-reset/confirm", json("token", token, "new_password", "yet another passphrase"));
            assertTokenRefused(again);
            assertEquals(200, api.login("once@example.com", NEW_PASSWORD).status());
        });
    }

    @Test
    void aTokenExpiresAfterTheConfiguredTime() {
        MutableClock clock = new MutableClock();
        Harness.test(Map.of("recovery.token-ttl", "PT30M"), clock, (api, ctx) -> {
            api.signUp("late@example.com");
            api.signUp("early@example.com");
            String late = resetToken(api, ctx, "late@example.com", 1);
            String early = resetToken(api, ctx, "early@example.com", 1);
            clock.advance(Duration.ofMinutes(29));
            assertEquals(204, api.post("/auth/password-reset/confirm", json("token", early, "new_password", NEW_PASSWORD)).status());
            clock.advance(Duration.ofMinutes(1));
            assertTokenRefused(api.post("/auth/password-reset/confirm", json("token", late, "new_password", NEW_PASSWORD)));
            assertEquals(200, api.login("late@example.com", Harness.PASSWORD).status());
        });
    }

    @Test
    void aNewerTokenVoidsTheOlderOne() {
        Harness.test((api, ctx) -> {
            api.signUp("twice@example.com");
            String older = resetToken(api, ctx, "twice@example.com", 1);
            String newer = resetToken(api, ctx, "twice@example.com", 2);
            assertTokenRefused(api.post("/auth/password-reset/confirm", json("token", older, "new_password", NEW_PASSWORD)));
            assertEquals(204, api.post("/auth/password-reset/confirm", json("token", newer, "new_password", NEW_PASSWORD)).status());
        });
    }

    @Test
    void aTokenChangesOnlyTheAccountItWasMailedTo() {
        Harness.test((api, ctx) -> {
            api.signUp("mine@example.com");
            Api.Session other = api.signUp("other@example.com");
            String token = resetToken(api, ctx, "mine@example.com", 1);
            assertEquals(204, api.post("/auth/password-reset/confirm", json("token", token, "new_password", NEW_PASSWORD)).status());
            assertEquals(200, api.login("other@example.com", Harness.PASSWORD).status());
            assertEquals(200, api.get("/users/me", other.accessToken()).status(), "the other account's sessions live on");
            assertProblem(api.login("other@example.com", NEW_PASSWORD), 401, "invalid_credentials");
            String verify = Outbox.latest(outbox(ctx), "other@example.com", "verify-email", 1).token();
            assertTokenRefused(api.post("/auth/password-reset/confirm", json("token", verify, "new_password", NEW_PASSWORD)));
        });
    }

    @Test
    void aPasswordChangeVoidsAResetLinkSentBeforeIt() {
        Harness.test((api, ctx) -> {
            Api.Session s = api.signUp("changed@example.com");
            String token = resetToken(api, ctx, "changed@example.com", 1);
            assertEquals(204, api.post("/users/me/password",
                    json("current_password", Harness.PASSWORD, "new_password", "changed in the app"), s.accessToken()).status());
            assertTokenRefused(api.post("/auth/password-reset/confirm", json("token", token, "new_password", NEW_PASSWORD)));
        });
    }

    @Test
    void anUnknownEmailGetsTheSameAnswerAndNoMail() {
        Harness.test((api, ctx) -> {
            api.signUp("known@example.com");
            Outbox.await(outbox(ctx), 1);
            Api.Res known = api.post("/auth/password-reset", json("email", "known@example.com"));
            Api.Res unknown = api.post("/auth/password-reset", json("email", "unknown@example.com"));
            assertEquals(known.status(), unknown.status());
            assertEquals(known.body(), unknown.body());
            assertEquals(comparable(known.headers()), comparable(unknown.headers()));
            Outbox.latest(outbox(ctx), "known@example.com", "password-reset", 1);
            awaitEmptyQueue(ctx);
            assertEquals(2, Outbox.files(outbox(ctx)).size(), "the verification and the one reset: " + Outbox.files(outbox(ctx)));
        });
    }

    @Test
    void badFieldsAreReportedTogether() {
        Harness.test((api, ctx) -> {
            Api.Res both = api.post("/auth/password-reset/confirm", json("new_password", "short"));
            assertProblem(both, 400, "validation_failed");
            assertEquals(Set.of("token", "new_password"), fieldNames(both));
            assertTokenRefused(api.post("/auth/password-reset/confirm", json("token", "x".repeat(43), "new_password", NEW_PASSWORD)));
            assertTokenRefused(api.post("/auth/password-reset/confirm", json("token", "x".repeat(5000), "new_password", NEW_PASSWORD)));
            assertProblem(api.post("/auth/password-reset", json("email", "not an email")), 400, "validation_failed");
            assertProblem(api.post("/auth/password-reset", json("email", 42)), 400, "validation_failed");
        });
    }

    @Test
    void threeRequestsPerEmailAnHourWhetherOrNotTheAccountExists() {
        MutableClock clock = new MutableClock();
        Harness.test(Map.of(), clock, (api, ctx) -> {
            api.signUp("limited@example.com");
            for (String email : List.of("limited@example.com", "nobody-here@example.com")) {
                for (int i = 0; i < 3; i++) assertEquals(202, api.post("/auth/password-reset", json("email", email)).status());
                Api.Res refused = api.post("/auth/password-reset", json("email", email.toUpperCase()));
                assertProblem(refused, 429, "rate_limited");
                assertTrue(Long.parseLong(refused.header("Retry-After")) > 3000, refused.header("Retry-After"));
            }
            clock.advance(Duration.ofHours(1));
            assertEquals(202, api.post("/auth/password-reset", json("email", "limited@example.com")).status());
        });
    }

    @Test
    void twentyRequestsPerClientIpAnHour() {
        Harness.test((api, ctx) -> {
            for (int i = 0; i < 20; i++) assertEquals(202, api.post("/auth/password-reset", json("email", "ip" + i + "@example.com")).status());
            assertProblem(api.post("/auth/password-reset", json("email", "ip20@example.com")), 429, "rate_limited");
        });
    }

    @Test
    void theLimitsCanBeTurnedOff() {
        Harness.test(Map.of("ratelimit.enabled", "false"), (api, ctx) -> {
            for (int i = 0; i < 25; i++) assertEquals(202, api.post("/auth/password-reset", json("email", "same@example.com")).status());
        });
    }

    static void assertTokenRefused(Api.Res res) {
        assertProblem(res, 400, "validation_failed");
        assertEquals(Set.of("token"), fieldNames(res), res.body());
    }

    static Set<String> fieldNames(Api.Res res) {
        Set<String> names = new TreeSet<>();
        res.json().get("errors").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Headers that must not differ between two answers: all but the request id and the date. */
    static Map<String, String> comparable(Map<String, String> headers) {
        Map<String, String> h = new TreeMap<>(headers);
        h.remove("x-request-id");
        h.remove("date");
        return h;
    }

    static void awaitEmptyQueue(Harness.Context ctx) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (queued(ctx) > 0) {
            if (System.nanoTime() > deadline) throw new AssertionError("mail still queued: " + queued(ctx));
            Thread.sleep(5);
        }
    }

    static int queued(Harness.Context ctx) {
        return ctx.db().read(h -> h.createQuery("SELECT count(*) FROM mail_queue").mapTo(Integer.class).one());
    }
}
