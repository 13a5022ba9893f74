package latchkey.users;

import latchkey.identity.Role;
import java.time.Instant;

/** A user as an administrator sees it: with {@code disabled}. */
public record AdminUser(long id, String email, boolean emailVerified, String username, String name, Role role, boolean disabled,
                        Instant createdAt, Instant updatedAt) {
    static AdminUser of(UserRow row) {
        return new AdminUser(row.id(), row.email(), row.emailVerified(), row.username(), row.name(), row.roleValue(), row.disabled(),
                Instant.ofEpochMilli(row.createdAt()), Instant.ofEpochMilli(row.updatedAt()));
    }
}
