package latchkey.recovery;

import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.MutableClock;
import latchkey.support.Outbox;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static latchkey.recovery.PasswordResetTest.assertTokenRefused;
import static latchkey.recovery.PasswordResetTest.outbox;
import static latchkey.support.Api.json;
import static latchkey.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** email_verified: the mail sent at sign-up, POST /auth/verify-email, the resend and its limit, auth.require-verified-email. */
class EmailVerificationTest {
    @Test
    void signingUpSendsALinkThatVerifiesTheAddressOnce() {
        Harness.test(PasswordResetTest.publicUrl(), (api, ctx) -> {
            Api.Res registered = api.register("new@example.com", Harness.PASSWORD);
            assertFalse(registered.json().at("/user/email_verified").asBoolean(), registered.body());
            String access = Api.Session.of(registered).accessToken();

            Outbox.Received mail = Outbox.latest(outbox(ctx), "new@example.com", "verify-email", 1);
            assertEquals("Confirm your email address for Latchkey", mail.subject());
            assertTrue(mail.link().startsWith(PasswordResetTest.PUBLIC_URL + "/verify-email?token="), mail.link());
            assertTrue(mail.text().contains("24 hours"), mail.text());

            Api.Res verified = api.post("/auth/verify-email", json("token", mail.token()));
            assertEquals(200, verified.status(), verified.body());
            assertEquals("new@example.com", verified.text("email"));
            assertTrue(verified.json().get("email_verified").asBoolean());
            assertTrue(api.get("/users/me", access).json().get("email_verified").asBoolean(), "the same session sees it at once");
            assertTokenRefused(api.post("/auth/verify-email", json("token", mail.token())));
            assertProblem(api.post("/users/me/verify-email", null, access), 409, "conflict");
        });
    }

    @Test
    void atMostThreeVerificationMailsAnHourTheOneAtSignUpIncluded() {
        MutableClock clock = new MutableClock();
        Harness.test(Map.of(), clock, (api, ctx) -> {
            Api.Session s = api.signUp("again@example.com");
            Outbox.latest(outbox(ctx), "again@example.com", "verify-email", 1);
            assertEquals(202, api.post("/users/me/verify-email", null, s.accessToken()).status());
            Outbox.latest(outbox(ctx), "again@example.com", "verify-email", 2);
            assertEquals(202, api.post("/users/me/verify-email", null, s.accessToken()).status());
            Api.Res refused = api.post("/users/me/verify-email", null, s.accessToken());
            assertProblem(refused, 429, "rate_limited");
            assertTrue(refused.header("Retry-After") != null, refused.headers().toString());
            String newest = Outbox.latest(outbox(ctx), "again@example.com", "verify-email", 3).token();
            assertEquals(3, Outbox.files(outbox(ctx)).size());

            clock.advance(Duration.ofHours(1));
            String access = Api.Session.of(api.login("again@example.com", Harness.PASSWORD)).accessToken();
            assertEquals(202, api.post("/users/me/verify-email", null, access).status());
            String fourth = Outbox.latest(outbox(ctx), "again@example.com", "verify-email", 4).token();
            assertTokenRefused(api.post("/auth/verify-email", json("token", newest)));
            assertEquals(200, api.post("/auth/verify-email", json("token", fourth)).status(), "the newest link works");
        });
    }

    @Test
    void aVerificationLinkExpiresAfterADay() {
        MutableClock clock = new MutableClock();
        Harness.test(Map.of(), clock, (api, ctx) -> {
            api.signUp("slow@example.com");
            String token = Outbox.latest(outbox(ctx), "slow@example.com", "verify-email", 1).token();
            clock.advance(Duration.ofDays(1));
            assertTokenRefused(api.post("/auth/verify-email", json("token", token)));
        });
    }

    @Test
    void aTokenVerifiesOnlyTheAccountItWasMailedTo() {
        Harness.test((api, ctx) -> {
            api.signUp("first@example.com");
            Api.Session second = api.signUp("second@example.com");
            String token = Outbox.latest(outbox(ctx), "first@example.com", "verify-email", 1).token();
            assertEquals("first@example.com", api.post("/auth/verify-email", json("token", token)).text("email"));
            assertFalse(api.get("/users/me", second.accessToken()).json().get("email_verified").asBoolean());
        });
    }

    @Test
    void withRequireVerifiedEmailTheRightPasswordOfAnUnverifiedAccountIs403AndSendsANewLink() {
        Harness.test(Map.of("auth.require-verified-email", "true"), (api, ctx) -> {
            assertEquals(201, api.register("strict@example.com", Harness.PASSWORD).status());
            Outbox.latest(outbox(ctx), "strict@example.com", "verify-email", 1);
            assertProblem(api.login("strict@example.com", "not the password"), 401, "invalid_credentials");
            assertProblem(api.login("nobody@example.com", Harness.PASSWORD), 401, "invalid_credentials");
            assertProblem(api.login("strict@example.com", Harness.PASSWORD), 403, "email_not_verified");

            String token = Outbox.latest(outbox(ctx), "strict@example.com", "verify-email", 2).token();
            assertEquals(200, api.post("/auth/verify-email", json("token", token)).status());
            Api.Res login = api.login("strict@example.com", Harness.PASSWORD);
            assertEquals(200, login.status(), login.body());
        });
    }

    @Test
    void byDefaultAnUnverifiedAccountSignsIn() {
        Harness.test((api, ctx) -> {
            api.signUp("relaxed@example.com");
            assertEquals(200, api.login("relaxed@example.com", Harness.PASSWORD).status());
        });
    }
}
