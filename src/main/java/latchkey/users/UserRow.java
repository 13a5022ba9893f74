package latchkey.users;

import latchkey.identity.Role;

/** A row of {@code users}. It holds the password hash, so it never leaves the service layer as is. */
public record UserRow(
        long id,
        String email,
        String username,
        String name,
        String passwordHash,
        String role,
        boolean disabled,
        long passwordChangedAt,
        long createdAt,
        long updatedAt,
        boolean emailVerified,
        Long avatarId) {

    public Role roleValue() {
        return Role.parse(role).orElse(Role.USER);
    }

    public PublicProfile profile() {
        return new PublicProfile(id, username, name, avatarId);
    }

    public User view() {
        return User.of(this);
    }
}
