package latchkey.users;

import latchkey.identity.Role;
import java.time.Instant;

/** A user as the API shows it to that user (or an admin). No hash, ever. */
public record User(long id, String email, boolean emailVerified, String username, String name, Role role, Instant createdAt,
                   Instant updatedAt) {
    static User of(UserRow row) {
        return new User(row.id(), row.email(), row.emailVerified(), row.username(), row.name(), row.roleValue(),
                Instant.ofEpochMilli(row.createdAt()), Instant.ofEpochMilli(row.updatedAt()));
    }
}
