package latchkey.recovery;

import latchkey.auth.Passwords;
import latchkey.db.Constraints;
import latchkey.db.Database;
import latchkey.events.EventBus;
import latchkey.http.ApiException;
import latchkey.mail.MailQueue;
import latchkey.sessions.AccessChange;
import latchkey.users.User;
import latchkey.users.UserDao;
import latchkey.users.UserRow;
import latchkey.users.UserService;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Moving an account to another address: asked for with the password, confirmed from the new
 * address, announced to the old one. Confirming ends no session (the password did not change) but
 * voids every link sent to the old address; a later password change voids a pending confirmation.
 */
public final class EmailChanges {
    private final Database db;
    private final EventBus events;
    private final UserService users;
    private final Passwords passwords;
    private final AccountTokens tokens;
    private final MailQueue queue;
    private final RecoveryLimits limits;
    private final Clock clock;

    EmailChanges(Database db, EventBus events, UserService users, Passwords passwords, AccountTokens tokens, MailQueue queue,
                 RecoveryLimits limits, Clock clock) {
        this.db = db;
        this.events = events;
        this.users = users;
        this.passwords = passwords;
        this.tokens = tokens;
        this.queue = queue;
        this.limits = limits;
        this.clock = clock;
    }

    /** Counted against the account's limit before the password is checked, so it is no way to guess passwords either. */
    public CompletableFuture<Void> request(UserRow caller, RecoveryRequests.EmailChange r) {
        limits.countEmailChange(caller.id());
        return passwords.check(r.password(), caller.passwordHash()).thenAccept(check -> {
            if (!check.matches()) throw ApiException.validation(Map.of("password", "is not the current password"));
            if (users.findByEmail(r.newEmail()).isPresent()) throw ApiException.emailTaken();
            db.writer().useTransaction(h -> {
                queue.enqueue(h, MailKind.EMAIL_CHANGE.wireName, caller.id(), r.newEmail());
                queue.enqueue(h, MailKind.EMAIL_CHANGE_NOTICE.wireName, caller.id(), caller.email());
            });
            queue.wake();
        });
    }

    public boolean linkWorks(String token) {
        return tokens.peek(token, Purpose.EMAIL_CHANGE).isPresent();
    }

    /** The unique index decides when the address was taken in the meantime: 409, and the link stays usable. */
    public User confirm(String token) {
        long userId;
        try {
            userId = db.writer().inTransaction(h -> {
                AccountTokens.Grant grant = tokens.spend(h, token, Purpose.EMAIL_CHANGE).orElseThrow(AccountTokens::refused);
                tokens.voidAll(h, grant.userId());
                h.attach(UserDao.class).changeEmail(grant.userId(), grant.email(), clock.millis());
                return grant.userId();
            });
        } catch (RuntimeException e) {
            if (Constraints.isUniqueViolation(e, "users.email")) throw ApiException.emailTaken();
            throw e;
        }
        events.publish(new AccessChange.UserChanged(userId));
        return db.read(UserDao.class, dao -> dao.findById(userId)).orElseThrow(AccountTokens::refused).view();
    }
}
