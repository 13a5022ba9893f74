package latchkey.messages;

import latchkey.http.RequestBody;
import latchkey.http.Text;

/** The field rules of messages, in the style of {@code UserFields}: each records what is wrong in the body. */
final class MessageFields {
    static final int CLIENT_ID_MAX = 64;

    private MessageFields() {
    }

    /** Message text: 1 to {@code max} characters (code points), not blank, no NUL or other control characters but line breaks and tabs. */
    static String text(RequestBody body, String field, int max, boolean required) {
        String text = body.string(field);
        if (!body.isValid(field)) return null;
        if (text == null || text.isEmpty()) {
            if (required) body.reject(field, "is required");
            return null;
        }
        if (Text.length(text) > max) {
            body.reject(field, "must be at most " + max + " characters");
        } else if (!Text.isCleanText(text)) {
            body.reject(field, "must be valid text without NUL or control characters (line breaks and tabs are fine)");
        } else if (Text.isBlank(text)) {
            body.reject(field, "must not be blank");
        }
        return text;
    }

    /** A client's own id for a send, 1 to 64 characters, so that a retry finds the first attempt. */
    static String clientId(RequestBody body) {
        String clientId = body.string("client_id");
        if (clientId == null) return null;
        if (clientId.isEmpty() || Text.length(clientId) > CLIENT_ID_MAX || !Text.isCleanLine(clientId)) {
            body.reject("client_id", "must be 1 to " + CLIENT_ID_MAX + " characters, without control characters");
            return null;
        }
        return clientId;
    }

    /** A message id (a positive whole number); null when absent or null. */
    static Long id(RequestBody body, String field) {
        Long id = body.integer(field);
        if (id != null && id < 1) {
            body.reject(field, "must be a message id");
            return null;
        }
        return id;
    }

    /** A sequence number, required: a whole number from 0. */
    static Long seq(RequestBody body, String field) {
        Long seq = body.integer(field);
        if (!body.isValid(field)) return null;
        if (seq == null || seq < 0) {
            body.reject(field, "is required: a whole number from 0");
            return null;
        }
        return seq;
    }
}
