package latchkey.recovery;

import latchkey.auth.Passwords;
import latchkey.config.Config;
import latchkey.db.Database;
import latchkey.events.EventBus;
import latchkey.mail.Composer;
import latchkey.mail.MailQueue;
import latchkey.users.UserService;

import java.time.Clock;

/** Account recovery and email, assembled: password resets, email verification, email changes, and the mails they send. */
public record Recovery(PasswordResets resets, EmailVerifications verifications, EmailChanges emailChanges, Composer mail) {
    public static Recovery of(Config config, Database db, UserService users, Passwords passwords, EventBus events, MailQueue queue,
                              Clock clock) {
        AccountTokens tokens = new AccountTokens(db, clock);
        RecoveryLimits limits = new RecoveryLimits(config, clock);
        return new Recovery(
                new PasswordResets(users, passwords, tokens, queue, limits, clock),
                new EmailVerifications(db, events, tokens, queue, limits, config.requireVerifiedEmail(), clock),
                new EmailChanges(db, events, users, passwords, tokens, queue, limits, clock),
                new RecoveryMail(db, tokens, config));
    }
}
