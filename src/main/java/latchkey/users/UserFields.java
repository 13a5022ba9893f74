package latchkey.users;

import latchkey.http.RequestBody;
import latchkey.http.Text;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The field rules of the contract, one method per field kind. Each reads the field from the body,
 * records what is wrong with it there, and returns the value to use. Lengths count code points.
 */
public final class UserFields {
    public static final int EMAIL_MAX = 254;
    public static final int PASSWORD_MIN = 8;
    /** Far above the "at least 256" the contract asks for, low enough to keep a request cheap. */
    public static final int PASSWORD_MAX = 1024;
    public static final int NAME_MAX = 100;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");

    private UserFields() {
    }

    /** A required email, returned lower-cased. */
    public static String email(RequestBody body, String field) {
        String email = body.string(field);
        if (!body.isValid(field)) return null;
        if (email == null || email.isEmpty()) {
            body.reject(field, "is required");
            return null;
        }
        if (!Text.isCleanLine(email) || email.codePointCount(0, email.length()) > EMAIL_MAX || !looksLikeEmail(email)) {
            body.reject(field, "must be a valid email address of at most " + EMAIL_MAX + " characters");
            return null;
        }
        return email.toLowerCase(Locale.ROOT);
    }

    /** A required password, exactly as sent: never trimmed or normalised. */
    public static String password(RequestBody body, String field) {
        String password = body.string(field);
        if (!body.isValid(field)) return null;
        if (password == null || password.isEmpty()) {
            body.reject(field, "is required");
            return null;
        }
        int length = password.codePointCount(0, password.length());
        if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
            body.reject(field, "must be " + PASSWORD_MIN + " to " + PASSWORD_MAX + " characters long");
            return null;
        }
        if (Text.hasLoneSurrogate(password) || password.indexOf('\0') >= 0) {
            body.reject(field, "must be valid text without NUL characters");
            return null;
        }
        return password;
    }

    /** A required field whose only rule is to be present: the current password on a check. */
    public static String present(RequestBody body, String field) {
        String value = body.string(field);
        if (body.isValid(field) && (value == null || value.isEmpty())) body.reject(field, "is required");
        return value;
    }

    /** An optional username; null when absent or null. */
    public static String username(RequestBody body, String field) {
        String username = body.string(field);
        if (username != null && !USERNAME.matcher(username).matches()) {
            body.reject(field, "must be 3 to 32 of the characters A-Z a-z 0-9 _ . -");
            return null;
        }
        return username;
    }

    /** An optional display name; null when absent or null. */
    public static String name(RequestBody body, String field) {
        String name = body.string(field);
        if (name == null) return null;
        if (!Text.isCleanLine(name) || name.codePointCount(0, name.length()) > NAME_MAX) {
            body.reject(field, "must be at most " + NAME_MAX + " characters, without control characters");
            return null;
        }
        return name;
    }

    /** The lower-cased form used for case-insensitive uniqueness and search. */
    public static String key(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    private static boolean looksLikeEmail(String email) {
        int at = email.indexOf('@');
        if (at <= 0 || at != email.lastIndexOf('@')) return false;
        String domain = email.substring(at + 1);
        int dot = domain.indexOf('.');
        return dot > 0 && !domain.endsWith(".") && !domain.contains("..")
                && email.chars().noneMatch(Character::isWhitespace);
    }
}
