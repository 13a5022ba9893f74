package latchkey.auth;

import latchkey.http.RequestBody;
import latchkey.users.UserFields;

import java.util.Locale;

/** The request bodies of the credential endpoints, each read and validated from a {@link RequestBody}. */
public final class AuthRequests {
    private AuthRequests() {
    }

    public record Register(String email, String password, String name, String username) {
        public static Register from(RequestBody body) {
            Register r = new Register(UserFields.email(body, "email"), UserFields.password(body, "password"),
                    UserFields.name(body, "name"), UserFields.username(body, "username"));
            body.requireValid();
            return r;
        }
    }

    /** Either an email or a username names the account; email wins when both are sent. */
    public record Login(String email, String username, String password) {
        public static Login from(RequestBody body) {
            String email = body.string("email");
            String username = body.string("username");
            if (body.isValid("email") && body.isValid("username") && isEmpty(email) && isEmpty(username)) {
                body.reject("email", "email or username is required");
            }
            String password = UserFields.present(body, "password");
            if (password != null && password.length() > 4 * UserFields.PASSWORD_MAX) body.reject("password", "is too long");
            body.requireValid();
            return isEmpty(email)
                    ? new Login(null, username, password)
                    : new Login(email.toLowerCase(Locale.ROOT), null, password);
        }

        /** The name the rate limits count failures under, whether or not such an account exists. */
        String accountKey() {
            return email != null ? "email:" + email : "username:" + UserFields.key(username);
        }
    }

    public record Refresh(String refreshToken) {
        public static Refresh from(RequestBody body) {
            Refresh r = new Refresh(UserFields.present(body, "refresh_token"));
            body.requireValid();
            return r;
        }
    }

    public record ChangePassword(String currentPassword, String newPassword) {
        public static ChangePassword from(RequestBody body) {
            ChangePassword r = new ChangePassword(UserFields.present(body, "current_password"),
                    UserFields.password(body, "new_password"));
            body.requireValid();
            return r;
        }
    }

    public record DeleteAccount(String password) {
        public static DeleteAccount from(RequestBody body) {
            DeleteAccount r = new DeleteAccount(UserFields.present(body, "password"));
            body.requireValid();
            return r;
        }
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
