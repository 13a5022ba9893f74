package latchkey.recovery;

import latchkey.support.Api;
import latchkey.support.Chromium;
import latchkey.support.Harness;
import latchkey.support.Outbox;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static latchkey.recovery.PasswordResetTest.outbox;
import static latchkey.recovery.PasswordResetTest.resetToken;
import static latchkey.recovery.RecoveryPagesTest.postForm;
import static latchkey.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pages in a real headless Chromium: each renders its form with JavaScript off (a screenshot
 * is kept in target/screenshots as a build artifact), breaks no rule of its own
 * Content-Security-Policy (Chromium logs every violation), and the form, posted exactly as the DOM
 * says (method, action, field names, hidden token), does its work.
 */
class RecoveryPagesBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String NEW_PASSWORD = "typed into chromium";

    private static String loadedWithoutViolations(String url) {
        Chromium.Run run = Chromium.dumpDom(url, false);
        assertFalse(run.stderr().contains("Content Security Policy"), "the page breaks its own CSP:\n" + run.stderr());
        assertFalse(run.stdout().contains("<script"), run.stdout());
        return run.stdout();
    }

    private static void screenshot(String url, String name) throws Exception {
        Path png = SCREENSHOTS.resolve(name);
        Chromium.screenshot(url, png, 800, 700, false);
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " is not an image");
        assertEquals(800, image.getWidth());
        // The card is white on a grey page: a blank or failed render would be one colour.
        assertTrue(image.getRGB(400, 150) != image.getRGB(5, 5), "the page did not render: " + png);
    }

    @Test
    void theResetPageWorksInChromiumWithJavaScriptOff() throws Exception {
        Chromium.requireInstalled();
        Harness.test((api, ctx) -> {
            api.signUp("browser@example.com");
            String token = resetToken(api, ctx, "browser@example.com", 1);
            String url = api.base() + "/reset-password?token=" + token;
            screenshot(url, "reset-password.png");

            String dom = loadedWithoutViolations(url);
            assertTrue(dom.contains("Choose a new password"), dom);
            HtmlForm form = HtmlForm.parse(dom, URI.create(url));
            assertEquals(token, form.fields().get("token"));
            assertTrue(form.fields().keySet().containsAll(List.of("new_password", "new_password_again")), form.fields().toString());

            Api.Res done = postForm(api, form, Map.of("new_password", NEW_PASSWORD, "new_password_again", NEW_PASSWORD));
            assertEquals(200, done.status(), done.body());
            assertProblem(api.login("browser@example.com", Harness.PASSWORD), 401, "invalid_credentials");
            assertEquals(200, api.login("browser@example.com", NEW_PASSWORD).status());
            assertTrue(loadedWithoutViolations(url).contains("This link does not work"), "the link is spent");
        });
    }

    @Test
    void theVerifyPageWorksInChromiumWithJavaScriptOff() throws Exception {
        Chromium.requireInstalled();
        Harness.test((api, ctx) -> {
            Api.Session s = api.signUp("browser-verify@example.com");
            String link = Outbox.latest(outbox(ctx), "browser-verify@example.com", "verify-email", 1).link();
            String url = api.base() + link.substring(link.indexOf("/verify-email"));
            screenshot(url, "verify-email.png");

            String dom = loadedWithoutViolations(url);
            Api.Res done = postForm(api, HtmlForm.parse(dom, URI.create(url)), Map.of());
            assertEquals(200, done.status(), done.body());
            assertTrue(api.get("/users/me", s.accessToken()).json().get("email_verified").asBoolean());
        });
    }
}
