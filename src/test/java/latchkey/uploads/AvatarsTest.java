package latchkey.uploads;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.support.Api;
import latchkey.support.Chat;
import latchkey.support.Harness;
import latchkey.support.Multipart;
import latchkey.support.TestImages;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static latchkey.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PUT/DELETE /users/me/avatar, and avatar_url on every public profile. */
class AvatarsTest {
    static Api.Res putAvatar(Chat user, byte[] image) {
        return user.api().raw("PUT", "/users/me/avatar", Multipart.headers(user.token()), Multipart.of("me.png", "image/png", image));
    }

    @Test
    void anAvatarShowsOnEveryProfileAndAnySignedInUserCanLoadIt() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            assertTrue(Api.JSON.readTree(ann.get("/users/me").body()).get("avatar_url").isNull());
            Api.Res put = putAvatar(ann, TestImages.png(600, 400));
            assertEquals(200, put.status(), put::toString);
            assertEquals(ann.userId(), put.json().get("id").asLong());
            assertTrue(put.json().get("avatar_url").isTextual(), put::toString);
            assertTrue(Api.JSON.readTree(ann.get("/users/me").body()).get("avatar_url").isTextual());

            JsonNode seenByBob = Api.JSON.readTree(bob.get("/users/" + ann.userId()).body());
            Api.Download avatar = api.download(seenByBob.get("avatar_url").asText(), Map.of());
            assertEquals(200, avatar.status(), avatar::toString);
            assertEquals(320, TestImages.decode(avatar.body()).getWidth(), "avatars are served at thumbnail size");

            long room = ann.createRoom("Team", true, bob);
            JsonNode members = Api.JSON.readTree(bob.get("/rooms/" + room + "/members").body()).get("members");
            boolean found = false;
            for (JsonNode member : members) {
                if (member.get("user").get("id").asLong() == ann.userId()) {
                    assertEquals(200, api.download(member.get("user").get("avatar_url").asText(), Map.of()).status());
                    found = true;
                } else {
                    assertTrue(member.get("user").get("avatar_url").isNull());
                }
            }
            assertTrue(found);
            JsonNode direct = Api.JSON.readTree(bob.post("/rooms/direct", Api.json("user_id", ann.userId())).body());
            assertTrue(direct.get("peer").get("avatar_url").isTextual(), direct::toString);
            JsonNode search = Api.JSON.readTree(bob.get("/users?q=").body());
            assertTrue(search.toString().contains("avatar_url"), search::toString);
        });
    }

    @Test
    void aNewAvatarReplacesTheOldAndDeleteRemovesIt() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            String first = putAvatar(ann, TestImages.png(100, 100)).json().get("avatar_url").asText();
            String second = putAvatar(ann, TestImages.jpeg(100, 100)).json().get("avatar_url").asText();
            assertEquals(404, api.download(first, Map.of()).status(), "the replaced avatar is gone");
            assertEquals(200, api.download(second, Map.of()).status());
            assertEquals(204, ann.delete("/users/me/avatar").status());
            assertEquals(404, api.download(second, Map.of()).status());
            assertTrue(Api.JSON.readTree(ann.get("/users/me").body()).get("avatar_url").isNull());
            assertEquals(204, ann.delete("/users/me/avatar").status(), "deleting no avatar is fine");
            Integer rows = ctx.db().read(h -> h.createQuery("SELECT count(*) FROM uploads").mapTo(Integer.class).one());
            assertEquals(0, rows);
        });
    }

    @Test
    void onlyImagesCanBeAvatars() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            byte[] pdf = "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
            assertProblem(putAvatar(ann, pdf), 415, "unsupported_media_type");
            assertProblem(putAvatar(ann, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(StandardCharsets.US_ASCII)), 415, "unsupported_media_type");
            assertProblem(putAvatar(ann, new byte[0]), 400, "validation_failed");
            assertProblem(ann.put("/users/me/avatar", Api.json("url", "http://example.com/a.png")), 415, "unsupported_media_type");
        });
    }
}
