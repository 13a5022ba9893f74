package latchkey.recovery;

import latchkey.http.RequestBody;
import latchkey.users.UserFields;

/** The request bodies of account recovery, each read and validated from a {@link RequestBody} (JSON, or a page's form). */
public final class RecoveryRequests {
    private RecoveryRequests() {
    }

    public record ResetRequest(String email) {
        public static ResetRequest from(RequestBody body) {
            ResetRequest r = new ResetRequest(UserFields.email(body, "email"));
            body.requireValid();
            return r;
        }
    }

    public record ResetConfirm(String token, String newPassword) {
        public static ResetConfirm from(RequestBody body) {
            ResetConfirm r = new ResetConfirm(UserFields.present(body, "token"), UserFields.password(body, "new_password"));
            body.requireValid();
            return r;
        }
    }

    /** The token of a verification or an email change link. */
    public record TokenRequest(String token) {
        public static TokenRequest from(RequestBody body) {
            TokenRequest r = new TokenRequest(UserFields.present(body, "token"));
            body.requireValid();
            return r;
        }
    }

    public record EmailChange(String newEmail, String password) {
        public static EmailChange from(RequestBody body, String currentEmail) {
            String newEmail = UserFields.email(body, "new_email");
            if (newEmail != null && newEmail.equals(currentEmail)) body.reject("new_email", "is already the email of this account");
            EmailChange r = new EmailChange(newEmail, UserFields.present(body, "password"));
            body.requireValid();
            return r;
        }
    }
}
