package latchkey.auth;

import latchkey.users.UserRow;

/** What sign-up and sign-in need of email verification; the recovery feature provides it, so auth depends on no mail. */
public interface EmailVerification {
    /** Sends the account a verification mail, unless its address is verified or it had its share of mails this hour. */
    void sendVerificationMail(UserRow user);

    /** Whether a login needs a verified email ({@code auth.require-verified-email}). */
    boolean required();
}
