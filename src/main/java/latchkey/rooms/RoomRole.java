package latchkey.rooms;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Optional;

/** A member's role in a room. Owners and admins manage the room; only the owner grants admin or deletes it. */
public enum RoomRole {
    OWNER, ADMIN, MEMBER;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RoomRole> parse(String value) {
        for (RoomRole role : values()) {
            if (role.wireName().equals(value)) return Optional.of(role);
        }
        return Optional.empty();
    }

    boolean manages() {
        return this == OWNER || this == ADMIN;
    }
}
