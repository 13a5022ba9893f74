package latchkey.recovery;

import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.MutableClock;
import latchkey.support.Outbox;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static latchkey.recovery.PasswordResetTest.assertTokenRefused;
import static latchkey.recovery.PasswordResetTest.fieldNames;
import static latchkey.recovery.PasswordResetTest.outbox;
import static latchkey.support.Api.json;
import static latchkey.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /users/me/email and /auth/confirm-email-change: confirmed from the new address, announced to the old one. */
class EmailChangeTest {
    private static Api.Res change(Api api, Api.Session s, String newEmail, String password) {
        return api.post("/users/me/email", json("new_email", newEmail, "password", password), s.accessToken());
    }

    @Test
    void theNewAddressConfirmsTheOldOneIsToldAndSessionsStay() {
        Harness.test(PasswordResetTest.publicUrl(), (api, ctx) -> {
            Api.Session s = api.signUp("old@example.com");
            Api.Res accepted = change(api, s, "New@Example.com", Harness.PASSWORD);
            assertEquals(202, accepted.status(), accepted.body());
            assertEquals("old@example.com", api.get("/users/me", s.accessToken()).text("email"), "nothing changes before the link is followed");

            Outbox.Received confirm = Outbox.latest(outbox(ctx), "new@example.com", "email-change", 1);
            assertEquals("Confirm your new email address for Latchkey", confirm.subject());
            assertTrue(confirm.link().startsWith(PasswordResetTest.PUBLIC_URL + "/verify-email?token="), confirm.link());
            assertTrue(confirm.link().endsWith("&kind=email-change"), confirm.link());
            Outbox.Received notice = Outbox.latest(outbox(ctx), "old@example.com", "email-change-notice", 1);
            assertEquals("Your Latchkey email address is being changed", notice.subject());

            Api.Res changed = api.post("/auth/confirm-email-change", json("token", confirm.token()));
            assertEquals(200, changed.status(), changed.body());
            assertEquals("new@example.com", changed.text("email"));
            assertTrue(changed.json().get("email_verified").asBoolean());
            assertEquals("new@example.com", api.get("/users/me", s.accessToken()).text("email"), "the session lives on");
            assertEquals(200, api.login("new@example.com", Harness.PASSWORD).status());
            assertProblem(api.login("old@example.com", Harness.PASSWORD), 401, "invalid_credentials");
            assertTokenRefused(api.post("/auth/confirm-email-change", json("token", confirm.token())));
        });
    }

    @Test
    void aWrongPasswordATakenAddressAndTheSameAddressAreRefused() {
        Harness.test((api, ctx) -> {
            Api.Session s = api.signUp("me@example.com");
            api.signUp("taken@example.com");
            Api.Res wrong = change(api, s, "free@example.com", "not my password");
            assertProblem(wrong, 400, "validation_failed");
            assertEquals(Set.of("password"), fieldNames(wrong));
            assertProblem(change(api, s, "TAKEN@example.com", Harness.PASSWORD), 409, "email_taken");
            Api.Res same = change(api, s, "me@example.com", Harness.PASSWORD);
            assertProblem(same, 400, "validation_failed");
            assertEquals(Set.of("new_email"), fieldNames(same));
            Api.Res both = api.post("/users/me/email", json("new_email", "nope"), s.accessToken());
            assertEquals(Set.of("new_email", "password"), fieldNames(both));
            assertProblem(api.post("/users/me/email", json("new_email", "x@example.com", "password", Harness.PASSWORD)), 401, "invalid_token");
        });
    }

    @Test
    void anAddressTakenInTheMeantimeIs409AndTheLinkStaysUsable() {
        Harness.test((api, ctx) -> {
            Api.Session s = api.signUp("mover@example.com");
            assertEquals(202, change(api, s, "wanted@example.com", Harness.PASSWORD).status());
            String token = Outbox.latest(outbox(ctx), "wanted@example.com", "email-change", 1).token();
            Api.Session squatter = api.signUp("wanted@example.com");
            assertProblem(api.post("/auth/confirm-email-change", json("token", token)), 409, "email_taken");
            assertEquals(204, api.delete("/users/me", json("password", Harness.PASSWORD), squatter.accessToken()).status());
            assertEquals("wanted@example.com", api.post("/auth/confirm-email-change", json("token", token)).text("email"));
        });
    }

    @Test
    void aNewerRequestVoidsTheOlderLinkAndAPasswordChangeVoidsBoth() {
        Harness.test((api, ctx) -> {
            Api.Session s = api.signUp("fickle@example.com");
            assertEquals(202, change(api, s, "first@example.com", Harness.PASSWORD).status());
            String first = Outbox.latest(outbox(ctx), "first@example.com", "email-change", 1).token();
            assertEquals(202, change(api, s, "second@example.com", Harness.PASSWORD).status());
            String second = Outbox.latest(outbox(ctx), "second@example.com", "email-change", 1).token();
            assertTokenRefused(api.post("/auth/confirm-email-change", json("token", first)));

            assertEquals(204, api.post("/users/me/password",
                    json("current_password", Harness.PASSWORD, "new_password", "a fresh password"), s.accessToken()).status());
            assertTokenRefused(api.post("/auth/confirm-email-change", json("token", second)));
            assertEquals(200, api.login("fickle@example.com", "a fresh password").status());
        });
    }

    @Test
    void theLinksSentToTheOldAddressStopWorkingAndTheLinkExpiresAfterADay() {
        MutableClock clock = new MutableClock();
        Harness.test(Map.of(), clock, (api, ctx) -> {
            Api.Session s = api.signUp("leaving@example.com");
            String verifyOld = Outbox.latest(outbox(ctx), "leaving@example.com", "verify-email", 1).token();
            assertEquals(202, api.post("/auth/password-reset", json("email", "leaving@example.com")).status());
            String resetOld = Outbox.latest(outbox(ctx), "leaving@example.com", "password-reset", 1).token();
            assertEquals(202, change(api, s, "arrived@example.com", Harness.PASSWORD).status());
            String token = Outbox.latest(outbox(ctx), "arrived@example.com", "email-change", 1).token();
            assertEquals(200, api.post("/auth/confirm-email-change", json("token", token)).status());
            assertTokenRefused(api.post("/auth/verify-email", json("token", verifyOld)));
            assertTokenRefused(api.post("/auth/password-reset/confirm", json("token", resetOld, "new_password", "a password for the old address")));

            assertEquals(202, change(api, Api.Session.of(api.login("arrived@example.com", Harness.PASSWORD)), "later@example.com", Harness.PASSWORD).status());
            String late = Outbox.latest(outbox(ctx), "later@example.com", "email-change", 1).token();
            clock.advance(Duration.ofDays(1));
            assertTokenRefused(api.post("/auth/confirm-email-change", json("token", late)));
        });
    }

    @Test
    void atMostThreeRequestsPerAccountAnHour() {
        Harness.test((api, ctx) -> {
            Api.Session s = api.signUp("busy@example.com");
            for (int i = 0; i < 3; i++) assertEquals(202, change(api, s, "busy" + i + "@example.com", Harness.PASSWORD).status());
            assertProblem(change(api, s, "busy3@example.com", Harness.PASSWORD), 429, "rate_limited");
        });
    }
}
