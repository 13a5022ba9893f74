package latchkey.recovery;

import io.javalin.http.Context;
import latchkey.http.RequestBody;
import latchkey.users.CurrentUser;
import latchkey.users.UserRow;

import java.util.Map;

/** The JSON routes of account recovery. A 202 means the mail is queued (committed), not that it was sent. */
public final class RecoveryHandlers {
    private static final Map<String, String> ACCEPTED = Map.of("status", "accepted");

    private final Recovery recovery;

    public RecoveryHandlers(Recovery recovery) {
        this.recovery = recovery;
    }

    public void requestReset(Context ctx) {
        RecoveryRequests.ResetRequest r = RecoveryRequests.ResetRequest.from(RequestBody.read(ctx));
        recovery.resets().request(r.email(), ctx.ip());
        accepted(ctx);
    }

    public void confirmReset(Context ctx) {
        RecoveryRequests.ResetConfirm r = RecoveryRequests.ResetConfirm.from(RequestBody.read(ctx));
        ctx.future(() -> recovery.resets().confirm(r.token(), r.newPassword()).thenRun(() -> ctx.status(204)));
    }

    public void verifyEmail(Context ctx) {
        RecoveryRequests.TokenRequest r = RecoveryRequests.TokenRequest.from(RequestBody.read(ctx));
        ctx.json(recovery.verifications().verify(r.token()));
    }

    public void resendVerification(Context ctx) {
        recovery.verifications().resend(CurrentUser.of(ctx));
        accepted(ctx);
    }

    public void requestEmailChange(Context ctx) {
        UserRow caller = CurrentUser.of(ctx);
        RecoveryRequests.EmailChange r = RecoveryRequests.EmailChange.from(RequestBody.read(ctx), caller.email());
        ctx.future(() -> recovery.emailChanges().request(caller, r).thenRun(() -> accepted(ctx)));
    }

    public void confirmEmailChange(Context ctx) {
        RecoveryRequests.TokenRequest r = RecoveryRequests.TokenRequest.from(RequestBody.read(ctx));
        ctx.json(recovery.emailChanges().confirm(r.token()));
    }

    private static void accepted(Context ctx) {
        ctx.status(202).json(ACCEPTED);
    }
}
