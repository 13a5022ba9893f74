package latchkey.recovery;

import latchkey.auth.Passwords;
import latchkey.mail.MailQueue;
import latchkey.users.UserDao;
import latchkey.users.UserRow;
import latchkey.users.UserService;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * "Forgot password": a request mails a single-use link; confirming it sets the new password
 * through the same path as a password change, so every session ends and every access token
 * issued before is refused at once. Following the link also proves the address, so it counts as
 * verified. There is no automatic sign-in afterwards.
 */
public final class PasswordResets {
    private final UserService users;
    private final Passwords passwords;
    private final AccountTokens tokens;
    private final MailQueue queue;
    private final RecoveryLimits limits;
    private final Clock clock;

    PasswordResets(UserService users, Passwords passwords, AccountTokens tokens, MailQueue queue, RecoveryLimits limits, Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.tokens = tokens;
        this.queue = queue;
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * The same work whether or not an account has this email: one lookup and one queued row
     * (without an account the row names no user, and the worker drops it unsent). The answer, its
     * time and the limits can not tell the two apart.
     */
    public void request(String email, String ip) {
        limits.countReset(email, ip);
        Long userId = users.findByEmail(email).map(UserRow::id).orElse(null);
        queue.send(MailKind.PASSWORD_RESET.wireName, userId, email);
    }

    /** Whether a reset link works now; its page shows the form only then. */
    public boolean linkWorks(String token) {
        return tokens.peek(token, Purpose.PASSWORD_RESET).isPresent();
    }

    /** A token that does not work is refused before any hashing; it is spent in the transaction that changes the password. */
    public CompletableFuture<Void> confirm(String token, String newPassword) {
        AccountTokens.Grant grant = tokens.peek(token, Purpose.PASSWORD_RESET).orElseThrow(AccountTokens::refused);
        return passwords.hash(newPassword).thenAccept(hash -> {
            users.changePassword(grant.userId(), hash, h -> {
                tokens.spend(h, token, Purpose.PASSWORD_RESET).orElseThrow(AccountTokens::refused);
                h.attach(UserDao.class).markEmailVerified(grant.userId(), clock.millis());
                queue.enqueue(h, MailKind.PASSWORD_CHANGED.wireName, grant.userId(), grant.email());
            });
            queue.wake();
        });
    }
}
