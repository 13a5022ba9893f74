package latchkey.recovery;

import latchkey.config.Config;
import latchkey.db.Database;
import latchkey.mail.Composer;
import latchkey.mail.Mail;
import latchkey.mail.QueuedMail;
import latchkey.users.UserDao;
import latchkey.users.UserRow;

import java.time.Duration;
import java.util.Optional;

/**
 * The mails of account recovery, written when they are sent: a link's token is made at that
 * moment (so it is valid for its full lifetime from then, and the queue never holds one). A mail
 * whose account is gone, disabled, or no longer has the address it was meant for is not sent: a
 * reset asked for before an email change must not reach the old address.
 */
final class RecoveryMail implements Composer {
    private static final Duration VERIFY_TTL = Duration.ofDays(1);
    private static final Duration EMAIL_CHANGE_TTL = Duration.ofDays(1);

    private final Database db;
    private final AccountTokens tokens;
    private final String product;
    private final Duration resetTtl;
    private final String resetUrl;
    private final String verifyUrl;
    private final String emailChangeUrl;

    RecoveryMail(Database db, AccountTokens tokens, Config config) {
        this.db = db;
        this.tokens = tokens;
        this.product = config.productName();
        this.resetTtl = config.resetTokenTtl();
        this.resetUrl = config.resetUrl();
        this.verifyUrl = config.verifyUrl();
        this.emailChangeUrl = config.emailChangeUrl();
    }

    @Override
    public Optional<Mail> compose(QueuedMail queued) {
        MailKind kind = MailKind.of(queued.kind());
        Optional<UserRow> user = queued.userId() == null ? Optional.empty()
                : db.read(UserDao.class, dao -> dao.findById(queued.userId())).filter(u -> !u.disabled());
        return switch (kind) {
            case PASSWORD_RESET -> user.filter(u -> u.email().equals(queued.to())).map(u -> letter(kind, queued.to(),
                    "Reset your " + product + " password",
                    "Someone, hopefully you, asked to reset the password of your " + product + " account."
                            + " Choose a new one here; the link works once, for " + human(resetTtl) + ":",
                    link(resetUrl, u, Purpose.PASSWORD_RESET, resetTtl, u.email()), "Choose a new password",
                    "If you did not ask for this, ignore this mail: your password stays as it is."));
            case VERIFY_EMAIL -> user.filter(u -> u.email().equals(queued.to()) && !u.emailVerified()).map(u -> letter(kind, queued.to(),
                    "Confirm your email address for " + product,
                    "Please confirm that this address belongs to your " + product + " account;"
                            + " the link works once, for " + human(VERIFY_TTL) + ":",
                    link(verifyUrl, u, Purpose.VERIFY_EMAIL, VERIFY_TTL, u.email()), "Confirm my email address",
                    "If you did not sign up, ignore this mail."));
            case EMAIL_CHANGE -> user.map(u -> letter(kind, queued.to(),
                    "Confirm your new email address for " + product,
                    "Someone, hopefully you, asked to move a " + product + " account to this address."
                            + " Confirm it here; the link works once, for " + human(EMAIL_CHANGE_TTL) + ":",
                    link(emailChangeUrl, u, Purpose.EMAIL_CHANGE, EMAIL_CHANGE_TTL, queued.to()), "Confirm this address",
                    "If this was not you, ignore this mail: nothing changes."));
            case EMAIL_CHANGE_NOTICE -> Optional.of(notice(kind, queued.to(),
                    "Your " + product + " email address is being changed",
                    "Someone asked to move your " + product + " account to another email address."
                            + " The change takes effect when the new address is confirmed.",
                    "If this was not you, change your password now: whoever asked knows it, and a new password voids the request."));
            case PASSWORD_CHANGED -> Optional.of(notice(kind, queued.to(),
                    "Your " + product + " password was changed",
                    "The password of your " + product + " account was just changed, and every device signed in to it was signed out.",
                    "If this was not you, reset your password now from the sign-in screen."));
        };
    }

    /** Makes the token (voiding the account's older ones of this purpose) and the link around it. */
    private String link(String template, UserRow user, Purpose purpose, Duration ttl, String sentTo) {
        String token = db.writer().inTransaction(h -> tokens.issue(h, user.id(), purpose, sentTo, ttl));
        return template.replace("{token}", token);
    }

    private Mail letter(MailKind kind, String to, String subject, String intro, String link, String action, String outro) {
        String text = intro + "\n\n" + link + "\n\n" + outro + "\n\n-- \n" + product + "\n";
        String html = open(subject)
                + "<p>" + Html.escape(intro) + "</p>\n"
                + "<p><a href=\"" + Html.escape(link) + "\" style=\"display:inline-block;padding:0.6em 1.2em;background:#1f5fbf;"
                + "color:#ffffff;text-decoration:none;border-radius:4px\">" + Html.escape(action) + "</a></p>\n"
                + "<p style=\"font-size:0.9em;color:#555555\">Or open this address:<br>\n" + Html.escape(link) + "</p>\n"
                + close(outro);
        return new Mail(kind.wireName, to, subject, text, html);
    }

    private Mail notice(MailKind kind, String to, String subject, String body, String outro) {
        String text = body + "\n\n" + outro + "\n\n-- \n" + product + "\n";
        String html = open(subject) + "<p>" + Html.escape(body) + "</p>\n" + close(outro);
        return new Mail(kind.wireName, to, subject, text, html);
    }

    private static String open(String subject) {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + Html.escape(subject) + "</title></head>\n"
                + "<body style=\"font-family:sans-serif;line-height:1.5;color:#1a1a1a;max-width:36em;margin:0 auto;padding:1em\">\n";
    }

    private String close(String outro) {
        return "<p>" + Html.escape(outro) + "</p>\n<p style=\"color:#555555\">" + Html.escape(product) + "</p>\n</body></html>\n";
    }

    /** "30 minutes", "24 hours", "2 days": how a lifetime reads in a mail. */
    static String human(Duration d) {
        long minutes = d.toMinutes();
        if (minutes >= 2 * 24 * 60 && minutes % (24 * 60) == 0) return minutes / (24 * 60) + " days";
        if (minutes >= 120 && minutes % 60 == 0) return minutes / 60 + " hours";
        if (minutes == 60) return "1 hour";
        if (minutes >= 1) return minutes + (minutes == 1 ? " minute" : " minutes");
        return d.toSeconds() + " seconds";
    }
}
