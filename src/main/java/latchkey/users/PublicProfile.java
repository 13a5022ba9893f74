package latchkey.users;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import latchkey.http.FileLinks;

/** What one user may see of another; {@code avatar_url} is signed for whoever the response is written for. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"id", "username", "name", "avatar_url"})
public record PublicProfile(long id, String username, String name, @JsonIgnore Long avatarId) {
    /** The avatar's thumbnail (at most 320 px): what a profile picture is shown at. */
    @JsonProperty("avatar_url")
    public String avatarUrl() {
        return avatarId == null ? null : FileLinks.current().url(avatarId, true);
    }
}
