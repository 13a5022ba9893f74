package latchkey.recovery;

import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.Outbox;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static latchkey.recovery.PasswordResetTest.outbox;
import static latchkey.recovery.PasswordResetTest.resetToken;
import static latchkey.support.Api.json;
import static latchkey.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The /reset-password and /verify-email pages over plain HTTP: their headers, their forms, their answers. */
class RecoveryPagesTest {
    private static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);
    static final String NEW_PASSWORD = "chosen on the page";

    static Api.Res postForm(Api api, HtmlForm form, Map<String, String> filledIn) {
        assertEquals("post", form.method());
        return api.raw("POST", form.action().getRawPath(), Map.of("Content-Type", "application/x-www-form-urlencoded"),
                form.encode(filledIn).getBytes(StandardCharsets.UTF_8));
    }

    static void assertPageHeaders(Api.Res page) throws Exception {
        assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
        String csp = page.header("Content-Security-Policy");
        assertTrue(csp.startsWith("default-src 'none';") && csp.contains("form-action 'self'") && csp.contains("frame-ancestors 'none'"), csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("script-src"), csp);
        Matcher style = STYLE.matcher(page.body());
        assertTrue(style.find(), page.body());
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(style.group(1).getBytes(StandardCharsets.UTF_8)));
        assertTrue(csp.contains("style-src 'sha256-" + hash + "'"), "the inline style is allowed by its hash: " + csp);
        assertEquals("no-referrer", page.header("Referrer-Policy"));
        assertEquals("no-store", page.header("Cache-Control"));
        assertFalse(page.body().contains("http://") || page.body().contains("https://") || page.body().contains("<script"),
                "nothing loaded from elsewhere, no script: " + page.body());
    }

    @Test
    void theResetPageShowsAFormThatSetsThePassword() {
        Harness.test((api, ctx) -> {
            api.signUp("page@example.com");
            String token = resetToken(api, ctx, "page@example.com", 1);
            URI url = URI.create(api.base() + "/reset-password?token=" + token);
            Api.Res page = api.get(url.getRawPath() + "?" + url.getRawQuery());
            assertEquals(200, page.status(), page.body());
            assertPageHeaders(page);
            HtmlForm form = HtmlForm.parse(page.body(), url);
            assertEquals(URI.create(api.base() + "/reset-password"), form.action());
            assertEquals(token, form.fields().get("token"));

            Api.Res mismatch = postForm(api, form, Map.of("new_password", NEW_PASSWORD, "new_password_again", "something else"));
            assertEquals(422, mismatch.status());
            assertTrue(mismatch.body().contains("The same password again: is not the same"), mismatch.body());
            Api.Res tooShort = postForm(api, form, Map.of("new_password", "short", "new_password_again", "short"));
            assertEquals(422, tooShort.status());
            assertTrue(tooShort.body().contains("New password: must be 8 to 1024 characters long"), tooShort.body());
            assertEquals(token, HtmlForm.parse(tooShort.body(), url).fields().get("token"), "the form comes back, ready to try again");

            Api.Res done = postForm(api, form, Map.of("new_password", NEW_PASSWORD, "new_password_again", NEW_PASSWORD));
            assertEquals(200, done.status(), done.body());
            assertPageHeaders(done);
            assertTrue(done.body().contains("Your password has been changed"), done.body());
            assertEquals(200, api.login("page@example.com", NEW_PASSWORD).status());

            Api.Res spent = api.get(url.getRawPath() + "?" + url.getRawQuery());
            assertEquals(410, spent.status());
            assertTrue(spent.body().contains("This link does not work"), spent.body());
            Api.Res again = postForm(api, form, Map.of("new_password", "yet another one", "new_password_again", "yet another one"));
            assertEquals(410, again.status());
            assertTrue(again.body().contains("This link does not work"), again.body());
        });
    }

    @Test
    void theVerifyPageConfirmsAnAddressOrAnEmailChangeOnlyWhenItsFormIsSent() {
        Harness.test((api, ctx) -> {
            Api.Session s = api.signUp("verify-page@example.com");
            String verify = Outbox.latest(outbox(ctx), "verify-page@example.com", "verify-email", 1).token();
            URI url = URI.create(api.base() + "/verify-email?token=" + verify);
            Api.Res page = api.get("/verify-email?token=" + verify);
            assertEquals(200, page.status());
            assertPageHeaders(page);
            assertFalse(api.get("/users/me", s.accessToken()).json().get("email_verified").asBoolean(), "a GET changes nothing");
            Api.Res done = postForm(api, HtmlForm.parse(page.body(), url), Map.of());
            assertEquals(200, done.status(), done.body());
            assertTrue(done.body().contains("verify-page@example.com is verified"), done.body());
            assertTrue(api.get("/users/me", s.accessToken()).json().get("email_verified").asBoolean());

            assertEquals(202, api.post("/users/me/email", json("new_email", "moved@example.com", "password", Harness.PASSWORD), s.accessToken()).status());
            Outbox.Received change = Outbox.latest(outbox(ctx), "moved@example.com", "email-change", 1);
            URI link = URI.create(change.link());
            Api.Res changePage = api.get(link.getRawPath() + "?" + link.getRawQuery());
            assertEquals(200, changePage.status(), changePage.body());
            assertTrue(changePage.body().contains("Confirm your new email address"), changePage.body());
            api.signUp("moved@example.com");
            Api.Res taken = postForm(api, HtmlForm.parse(changePage.body(), URI.create(api.base() + link.getRawPath())), Map.of());
            assertEquals(409, taken.status(), taken.body());
            assertTrue(taken.body().contains("This address is taken"), taken.body());
        });
    }

    @Test
    void aDeadLinkSaysSoAndEchoesNothing() {
        Harness.test((api, ctx) -> {
            for (String query : new String[]{"", "?token=", "?token=%22%3E%3Cscript%3Ealert(1)%3C/script%3E", "?token=" + "A".repeat(43)}) {
                for (String path : new String[]{"/reset-password", "/verify-email", "/verify-email?kind=email-change&x=1"}) {
                    String target = path.contains("?") ? path + query.replace('?', '&') : path + query;
                    Api.Res res = api.get(target);
                    assertEquals(410, res.status(), target);
                    assertPageHeaders(res);
                    assertTrue(res.body().contains("This link does not work"), res.body());
                    assertFalse(res.body().contains("<script>alert"), res.body());
                }
            }
        });
    }

    @Test
    void aFormPostThatIsNotAFormIsAProblem() {
        Harness.test((api, ctx) -> {
            assertProblem(api.post("/reset-password", json("token", "x")), 415, "unsupported_media_type");
            assertProblem(api.raw("POST", "/verify-email", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                    "token=%zz".getBytes(StandardCharsets.UTF_8)), 400, "bad_request");
            assertProblem(api.raw("POST", "/reset-password", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                    new byte[]{'t', '=', (byte) 0xff}), 400, "bad_request");
            Api.Res empty = api.raw("POST", "/verify-email", Map.of("Content-Type", "application/x-www-form-urlencoded"), new byte[0]);
            assertEquals(410, empty.status());
            assertTrue(empty.body().contains("This link does not work"), empty.body());
        });
    }
}
