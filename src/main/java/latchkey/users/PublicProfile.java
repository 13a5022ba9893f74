package latchkey.users;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What one user may see of another. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PublicProfile(long id, String username, String name) {
}
