package latchkey.recovery;

import io.javalin.http.Context;
import latchkey.http.ApiException;
import latchkey.http.RequestBody;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GET and POST /reset-password and /verify-email: small pages for users without the app, plain
 * HTML forms that work with JavaScript off. A GET only shows a form (mail scanners that open every
 * link must not spend it); the POST does the work and shows the outcome: 200, 410 Gone for a link
 * that does not work (expired, used, replaced or never valid), 422 for a form to fix. The pages
 * load nothing (their only style is inline, allowed by its hash), run no script, are not cached,
 * send no Referer (the token is in their address), and can not be framed.
 */
public final class RecoveryPages {
    private static final String HTML = "text/html; charset=utf-8";
    private static final String EMAIL_CHANGE = "email-change";
    private static final Map<String, String> LABELS = Map.of(
            "new_password", "New password", "new_password_again", "The same password again");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z]+)}}");

    private final Recovery recovery;
    private final String product;
    private final String layout;
    private final String resetForm;
    private final String verifyForm;
    private final String message;
    private final String csp;

    private RecoveryPages(Recovery recovery, String product, String css) {
        this.recovery = recovery;
        this.product = Html.escape(product);
        this.layout = resource("layout.html").replace("{{css}}", css);
        this.resetForm = resource("reset-form.html");
        this.verifyForm = resource("verify-form.html");
        this.message = resource("message.html");
        this.csp = "default-src 'none'; style-src '" + sha256(css) + "'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    }

    /** Reads the templates up front: a missing one stops the server at start. */
    public static RecoveryPages load(Recovery recovery, String product) {
        return new RecoveryPages(recovery, product, resource("page.css"));
    }

    public void resetForm(Context ctx) {
        String token = ctx.queryParam("token");
        if (!recovery.resets().linkWorks(token)) {
            deadLink(ctx);
            return;
        }
        show(ctx, 200, "Choose a new password", fill(resetForm, "errors", "", "token", Html.escape(token)));
    }

    public void resetSubmit(Context ctx) {
        RequestBody form = RequestBody.readForm(ctx);
        String token = form.string("token");
        if (!recovery.resets().linkWorks(token)) {
            deadLink(ctx);
            return;
        }
        String password = form.string("new_password");
        if (password != null && !password.equals(form.string("new_password_again"))) form.reject("new_password_again", "is not the same");
        CompletableFuture<Void> confirmed;
        try {
            RecoveryRequests.ResetConfirm request = RecoveryRequests.ResetConfirm.from(form);
            confirmed = recovery.resets().confirm(request.token(), request.newPassword());
        } catch (ApiException e) {
            resetRefused(ctx, e, token);
            return;
        }
        ctx.future(() -> confirmed.handle((done, failure) -> {
            if (failure == null) {
                show(ctx, 200, "Your password has been changed",
                        text("Every device that was signed in has been signed out. Sign in with your new password."));
            } else {
                resetRefused(ctx, unwrap(failure), token);
            }
            return null;
        }));
    }

    public void verifyForm(Context ctx) {
        String token = ctx.queryParam("token");
        boolean change = EMAIL_CHANGE.equals(ctx.queryParam("kind"));
        if (!(change ? recovery.emailChanges().linkWorks(token) : recovery.verifications().linkWorks(token))) {
            deadLink(ctx);
            return;
        }
        show(ctx, 200, change ? "Confirm your new email address" : "Confirm your email address", fill(verifyForm,
                "token", Html.escape(token), "kind", change ? EMAIL_CHANGE : "verify",
                "text", change ? "Your account will use this address from now on." : "This proves the address belongs to your account.",
                "action", change ? "Use this address" : "Confirm my address"));
    }

    public void verifySubmit(Context ctx) {
        RequestBody form = RequestBody.readForm(ctx);
        boolean change = EMAIL_CHANGE.equals(form.string("kind"));
        try {
            String token = RecoveryRequests.TokenRequest.from(form).token();
            if (change) {
                String email = recovery.emailChanges().confirm(token).email();
                show(ctx, 200, "Your new email address is confirmed",
                        text("Your account now uses " + email + ". Sign in with it from now on."));
            } else {
                String email = recovery.verifications().verify(token).email();
                show(ctx, 200, "Your email address is confirmed", text(email + " is verified. You can close this page."));
            }
        } catch (ApiException e) {
            if ("email_taken".equals(e.code())) {
                show(ctx, 409, "This address is taken", text("Another account uses this address now, so yours keeps its old one."));
            } else if (isAboutToken(e)) {
                deadLink(ctx);
            } else {
                throw e;
            }
        }
    }

    /** Field errors show on the form again; a token that does not work is a dead link; anything else is the usual problem. */
    private void resetRefused(Context ctx, ApiException e, String token) {
        if (isAboutToken(e)) {
            deadLink(ctx);
            return;
        }
        if (e.errors() == null) throw e;
        StringBuilder list = new StringBuilder("<ul class=\"errors\">\n");
        e.errors().forEach((field, problem) -> list.append("<li>").append(Html.escape(LABELS.getOrDefault(field, field)))
                .append(": ").append(Html.escape(problem)).append("</li>\n"));
        show(ctx, 422, "Choose a new password", fill(resetForm, "errors", list.append("</ul>\n").toString(), "token", Html.escape(token)));
    }

    private static boolean isAboutToken(ApiException e) {
        return e.errors() != null && e.errors().containsKey("token");
    }

    private void deadLink(Context ctx) {
        show(ctx, 410, "This link does not work",
                text("It has expired, was already used, or a newer one was sent. Ask for a new one in the app."));
    }

    private void show(Context ctx, int status, String title, String body) {
        ctx.header("Content-Security-Policy", csp);
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Frame-Options", "DENY");
        ctx.status(status).contentType(HTML).result(fill(layout, "title", Html.escape(title), "product", product, "body", body));
    }

    private String text(String s) {
        return fill(message, "text", Html.escape(s));
    }

    /** Fills {{name}} placeholders with values that are already HTML, in one pass: a value is never read as a template. */
    private static String fill(String template, String... namesAndValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) values.put(namesAndValues[i], namesAndValues[i + 1]);
        return PLACEHOLDER.matcher(template).replaceAll(m -> Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
    }

    private static ApiException unwrap(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ApiException api) return api;
        throw new CompletionException(cause);
    }

    private static String resource(String name) {
        try (InputStream in = RecoveryPages.class.getClassLoader().getResourceAsStream("pages/" + name)) {
            if (in == null) throw new IllegalStateException("pages/" + name + " is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("pages/" + name + " can not be read", e);
        }
    }

    private static String sha256(String css) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(css.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
