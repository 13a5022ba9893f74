package latchkey.rooms;

import latchkey.http.RequestBody;
import latchkey.http.Text;

/** The field rules of rooms, in the style of {@code UserFields}: each records what is wrong in the body. */
final class RoomFields {
    static final int NAME_MAX = 100;
    static final int TOPIC_MAX = 500;

    private RoomFields() {
    }

    /** A room name: 1 to 100 characters on one line, not blank. */
    static String name(RequestBody body, boolean required) {
        String name = body.string("name");
        if (!body.isValid("name")) return null;
        if (name == null) {
            if (required) body.reject("name", "is required");
            return null;
        }
        if (name.isEmpty() || Text.length(name) > NAME_MAX || !Text.isCleanLine(name) || Text.isBlank(name)) {
            body.reject("name", "must be 1 to " + NAME_MAX + " characters on one line, not blank");
            return null;
        }
        return name;
    }

    /** A topic: at most 500 characters, line breaks allowed; empty or null clears it. */
    static String topic(RequestBody body) {
        String topic = body.string("topic");
        if (topic == null || topic.isEmpty()) return null;
        if (Text.length(topic) > TOPIC_MAX || !Text.isCleanText(topic)) {
            body.reject("topic", "must be at most " + TOPIC_MAX + " characters, without NUL or control characters");
            return null;
        }
        return topic;
    }

    /** A user id (a positive whole number), required. */
    static long userId(RequestBody body) {
        Long id = body.integer("user_id");
        if (!body.isValid("user_id")) return 0;
        if (id == null || id < 1) {
            body.reject("user_id", "is required: a user id");
            return 0;
        }
        return id;
    }

    /** A role: owner, admin or member; null when absent. */
    static RoomRole role(RequestBody body) {
        String role = body.string("role");
        if (role == null) return null;
        RoomRole parsed = RoomRole.parse(role).orElse(null);
        if (parsed == null) body.reject("role", "must be owner, admin or member");
        return parsed;
    }
}
