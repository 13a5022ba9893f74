package latchkey.users;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import latchkey.http.FileLinks;
import latchkey.identity.Role;
import java.time.Instant;

/** A user as the API shows it to that user (or an admin). No hash, ever. */
@JsonPropertyOrder({"id", "email", "email_verified", "username", "name", "avatar_url", "role", "created_at", "updated_at"})
public record User(long id, String email, boolean emailVerified, String username, String name, Role role, Instant createdAt,
                   Instant updatedAt, @JsonIgnore Long avatarId) {
    static User of(UserRow row) {
        return new User(row.id(), row.email(), row.emailVerified(), row.username(), row.name(), row.roleValue(),
                Instant.ofEpochMilli(row.createdAt()), Instant.ofEpochMilli(row.updatedAt()), row.avatarId());
    }

    /** The same link as the public profile's {@code avatar_url}. */
    @JsonProperty("avatar_url")
    public String avatarUrl() {
        return avatarId == null ? null : FileLinks.current().url(avatarId, true);
    }
}
