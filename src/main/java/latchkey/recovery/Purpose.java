package latchkey.recovery;

import java.util.Locale;

/** What a mailed token is for; stored as {@link #wireName()} in {@code account_tokens.purpose}. */
enum Purpose {
    PASSWORD_RESET, VERIFY_EMAIL, EMAIL_CHANGE;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A password change voids the reset and email change links issued before it: someone who
     * knew the old password and asked to move the account to their address loses that link.
     */
    boolean endsWithPasswordChange() {
        return this != VERIFY_EMAIL;
    }
}
