package latchkey.recovery;

/** The mails of account recovery, by the kind stored in {@code mail_queue.kind}. */
enum MailKind {
    PASSWORD_RESET("password-reset"),
    PASSWORD_CHANGED("password-changed"),
    VERIFY_EMAIL("verify-email"),
    EMAIL_CHANGE("email-change"),
    EMAIL_CHANGE_NOTICE("email-change-notice");

    final String wireName;

    MailKind(String wireName) {
        this.wireName = wireName;
    }

    static MailKind of(String wireName) {
        for (MailKind kind : values()) {
            if (kind.wireName.equals(wireName)) return kind;
        }
        throw new IllegalArgumentException("unknown mail kind " + wireName);
    }
}
