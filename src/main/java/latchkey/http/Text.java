package latchkey.http;

/** What counts as clean text in a field: whole code points, no control characters. */
public final class Text {
    private Text() {
    }

    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** No lone surrogate and no control character at all: names, emails, titles. */
    public static boolean isCleanLine(String s) {
        return !hasLoneSurrogate(s) && s.codePoints().noneMatch(Character::isISOControl);
    }

    /** Like {@link #isCleanLine}, but line breaks and tabs are fine: message text, topics. */
    public static boolean isCleanText(String s) {
        return !hasLoneSurrogate(s) && s.codePoints().noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t');
    }

    public static boolean isBlank(String s) {
        return s.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
    }

    public static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** The exclusive upper bound of the strings that start with {@code prefix}: its last code point incremented. */
    public static String prefixUpperBound(String prefix) {
        int last = prefix.codePointBefore(prefix.length());
        String head = prefix.substring(0, prefix.length() - Character.charCount(last));
        if (last == Character.MAX_CODE_POINT) return prefix + new String(Character.toChars(Character.MAX_CODE_POINT));
        int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
        return head + new String(Character.toChars(next));
    }
}
