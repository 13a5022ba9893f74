package latchkey.auth;

import latchkey.http.ApiException;
import latchkey.sessions.SessionService;
import latchkey.tokens.TokenResponse;
import latchkey.users.UserRow;
import latchkey.users.UserService;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Everything that needs a password: registration, login, password change, account deletion.
 * bcrypt runs on the {@link Passwords} pool; the futures complete there.
 */
public final class AuthService {
    private final UserService users;
    private final SessionService sessions;
    private final Passwords passwords;
    private final AbuseLimits limits;
    private final EmailVerification verification;

    public AuthService(UserService users, SessionService sessions, Passwords passwords, AbuseLimits limits, EmailVerification verification) {
        this.users = users;
        this.sessions = sessions;
        this.passwords = passwords;
        this.limits = limits;
        this.verification = verification;
    }

    public CompletableFuture<TokenResponse> register(AuthRequests.Register r, ClientInfo client) {
        limits.countRegistration(client.ip());
        users.requireAvailable(r.email(), r.username());
        return passwords.hash(r.password()).thenApply(hash -> {
            UserRow user = users.create(r.email(), r.username(), r.name(), hash);
            verification.sendVerificationMail(user);
            return sessions.open(user, client);
        });
    }

    /**
     * A missing account, a wrong password and a disabled account look the same from outside: same
     * answer, same bcrypt work, same counting against the limits.
     */
    public CompletableFuture<TokenResponse> login(AuthRequests.Login r, ClientInfo client) {
        String accountKey = r.accountKey();
        limits.beginLogin(accountKey, client.ip());
        Optional<UserRow> user = users.findForLogin(r.email(), r.username());
        return passwords.check(r.password(), user.map(UserRow::passwordHash).orElse(null)).thenApply(check -> {
            if (!check.matches() || user.get().disabled()) {
                throw ApiException.invalidCredentials();
            }
            limits.loginSucceeded(accountKey, client.ip());
            if (verification.required() && !user.get().emailVerified()) {
                // Only the right password gets here: the owner learns why, and gets a fresh link.
                verification.sendVerificationMail(user.get());
                throw ApiException.emailNotVerified();
            }
            check.upgradedHash().ifPresent(hash -> users.upgradeHash(user.get(), hash));
            return sessions.open(user.get(), client);
        });
    }

    /** A wrong current password is a field error (400), not a 401: the session itself is fine. */
    public CompletableFuture<Void> changePassword(UserRow caller, AuthRequests.ChangePassword r) {
        return passwords.check(r.currentPassword(), caller.passwordHash())
                .thenCompose(check -> {
                    if (!check.matches()) throw wrongPassword("current_password");
                    return passwords.hash(r.newPassword());
                })
                .thenAccept(hash -> users.changePassword(caller.id(), hash));
    }

    public CompletableFuture<Void> deleteAccount(UserRow caller, AuthRequests.DeleteAccount r) {
        return passwords.check(r.password(), caller.passwordHash()).thenAccept(check -> {
            if (!check.matches()) throw wrongPassword("password");
            users.delete(caller.id());
        });
    }

    private static ApiException wrongPassword(String field) {
        return ApiException.validation(Map.of(field, "is not the current password"));
    }
}
