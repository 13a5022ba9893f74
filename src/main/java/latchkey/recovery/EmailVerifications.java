package latchkey.recovery;

import latchkey.auth.EmailVerification;
import latchkey.db.Database;
import latchkey.events.EventBus;
import latchkey.http.ApiException;
import latchkey.mail.MailQueue;
import latchkey.sessions.AccessChange;
import latchkey.users.User;
import latchkey.users.UserDao;
import latchkey.users.UserRow;

import java.time.Clock;

/** Proving an account's address: a link mailed at sign-up (and on request), followed once. */
public final class EmailVerifications implements EmailVerification {
    private final Database db;
    private final EventBus events;
    private final AccountTokens tokens;
    private final MailQueue queue;
    private final RecoveryLimits limits;
    private final boolean required;
    private final Clock clock;

    EmailVerifications(Database db, EventBus events, AccountTokens tokens, MailQueue queue, RecoveryLimits limits, boolean required,
                       Clock clock) {
        this.db = db;
        this.events = events;
        this.tokens = tokens;
        this.queue = queue;
        this.limits = limits;
        this.required = required;
        this.clock = clock;
    }

    @Override
    public void sendVerificationMail(UserRow user) {
        if (user.emailVerified() || limits.countVerificationMail(user.id()) > 0) return;
        queue.send(MailKind.VERIFY_EMAIL.wireName, user.id(), user.email());
    }

    @Override
    public boolean required() {
        return required;
    }

    /** POST /users/me/verify-email: a new link, within the account's share of mails. */
    public void resend(UserRow caller) {
        if (caller.emailVerified()) throw ApiException.conflict("This email address is already verified.");
        long wait = limits.countVerificationMail(caller.id());
        if (wait > 0) throw ApiException.rateLimited(wait);
        queue.send(MailKind.VERIFY_EMAIL.wireName, caller.id(), caller.email());
    }

    public boolean linkWorks(String token) {
        return tokens.peek(token, Purpose.VERIFY_EMAIL).isPresent();
    }

    /** A link sent to an address the account no longer has does not verify the new one. */
    public User verify(String token) {
        long userId = db.writer().inTransaction(h -> {
            AccountTokens.Grant grant = tokens.spend(h, token, Purpose.VERIFY_EMAIL).orElseThrow(AccountTokens::refused);
            UserDao dao = h.attach(UserDao.class);
            if (dao.findById(grant.userId()).filter(u -> u.email().equals(grant.email())).isEmpty()) throw AccountTokens.refused();
            dao.markEmailVerified(grant.userId(), clock.millis());
            return grant.userId();
        });
        events.publish(new AccessChange.UserChanged(userId));
        return db.read(UserDao.class, dao -> dao.findById(userId)).orElseThrow(AccountTokens::refused).view();
    }
}
