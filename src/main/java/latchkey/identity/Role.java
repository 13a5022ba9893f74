package latchkey.identity;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Optional;

public enum Role {
    USER, ADMIN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String value) {
        for (Role role : values()) {
            if (role.wireName().equals(value)) return Optional.of(role);
        }
        return Optional.empty();
    }
}
