package latchkey;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.support.Api;
import latchkey.support.Harness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static latchkey.support.Api.json;
import static latchkey.support.Harness.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileTest {
    private static Api.Session user(Api api, String email, String username, String name) {
        return Api.Session.of(api.post("/auth/register", json("email", email, "password", PASSWORD, "username", username, "name", name)));
    }

    @Test
    void meShowsTheUserWithoutSecrets() {
        Harness.test((api, ctx) -> {
            var s = user(api, "a@example.com", "ada", "Ada Lovelace");
            var me = api.get("/users/me", s.accessToken());
            assertEquals(200, me.status());
            assertEquals("no-store", me.header("Cache-Control"));
            JsonNode body = me.json();
            assertEquals(s.userId(), body.get("id").asLong());
            assertEquals("ada", body.get("username").asText());
            assertEquals("Ada Lovelace", body.get("name").asText());
            assertEquals(List.of("id", "email", "email_verified", "username", "name", "avatar_url", "role", "created_at", "updated_at"), fieldNames(body));
        });
    }

    @Test
    void patchChangesNameAndUsernameAndNothingElse() {
        Harness.test((api, ctx) -> {
            var s = user(api, "a@example.com", "ada", "Ada");
            var res = api.patch("/users/me", json("name", "Countess", "username", "ADA", "role", "admin", "email", "x@y.z", "id", 99, "disabled", true), s.accessToken());
            assertEquals(200, res.status(), res.body());
            assertEquals("Countess", res.text("name"));
            assertEquals("ADA", res.text("username"), "a user may change the case of their own username");
            assertEquals("user", res.text("role"));
            assertEquals("a@example.com", res.text("email"));
            assertEquals(s.userId(), res.json().get("id").asLong());
            assertEquals("Countess", api.get("/users/me", s.accessToken()).text("name"), "GET sees the change at once");

            var cleared = api.patch("/users/me", json("name", null), s.accessToken());
            assertNull(cleared.json().get("name").textValue());
            assertEquals("ADA", cleared.text("username"), "a field not sent stays as it is");
        });
    }

    @Test
    void patchRefusesATakenUsernameAndBadFields() {
        Harness.test((api, ctx) -> {
            user(api, "a@example.com", "ada", null);
            var b = user(api, "b@example.com", "bob", null);
            var taken = api.patch("/users/me", json("username", "Ada"), b.accessToken());
            assertEquals(409, taken.status());
            assertEquals("username_taken", taken.code());
            var bad = api.patch("/users/me", json("username", "x", "name", 5), b.accessToken());
            assertEquals(400, bad.status());
            assertEquals(2, bad.json().get("errors").size(), bad.body());
            assertEquals("bob", api.get("/users/me", b.accessToken()).text("username"));
        });
    }

    @Test
    void searchMatchesAUsernameOrNamePrefixCaseInsensitivelyAndLiterally() {
        Harness.test((api, ctx) -> {
            var me = user(api, "me@example.com", "searcher", null);
            user(api, "1@example.com", "alice", "Zed");
            user(api, "2@example.com", "bob", "Alfred");
            user(api, "3@example.com", "al_x", null);
            user(api, "4@example.com", "carol", "Al%");
            assertEquals(List.of("alice", "bob", "al_x", "carol"), usernames(api.get("/users?q=AL", me.accessToken())));
            assertEquals(List.of("al_x"), usernames(api.get("/users?q=al_", me.accessToken())), "_ matches only itself");
            assertEquals(List.of("carol"), usernames(api.get("/users?q=al%25", me.accessToken())), "% matches only itself");
            assertEquals(List.of(), usernames(api.get("/users?q=zz", me.accessToken())));
            var one = api.get("/users?q=bob", me.accessToken()).json().get("users").get(0);
            assertEquals(List.of("id", "username", "name", "avatar_url"), fieldNames(one), "public profiles only");
            assertEquals(401, api.get("/users?q=a").status());
        });
    }

    @Test
    void searchPagesWithACursor() {
        Harness.test((api, ctx) -> {
            var me = user(api, "me@example.com", "zz_me", null);
            for (int i = 0; i < 5; i++) user(api, i + "@example.com", "user" + i, null);
            var page1 = api.get("/users?q=user&limit=2", me.accessToken());
            assertEquals(List.of("user0", "user1"), usernames(page1));
            String next = page1.text("next");
            var page2 = api.get("/users?q=user&limit=2&after=" + next, me.accessToken());
            assertEquals(List.of("user2", "user3"), usernames(page2));
            var page3 = api.get("/users?q=user&limit=2&after=" + page2.text("next"), me.accessToken());
            assertEquals(List.of("user4"), usernames(page3));
            assertTrue(page3.json().get("next").isNull());
            assertEquals(6, api.get("/users", me.accessToken()).json().get("users").size(), "no q: everyone, default limit 20");
            for (String bad : new String[]{"limit=0", "limit=101", "limit=x", "after=-3", "after=abc"}) {
                var res = api.get("/users?" + bad, me.accessToken());
                assertEquals(400, res.status(), bad);
                assertEquals("validation_failed", res.code());
            }
        });
    }

    @Test
    void aUserByIdIsAPublicProfile() {
        Harness.test((api, ctx) -> {
            var me = user(api, "me@example.com", "meme", null);
            var other = user(api, "o@example.com", "other", "Other");
            var res = api.get("/users/" + other.userId(), me.accessToken());
            assertEquals(200, res.status());
            assertEquals(List.of("id", "username", "name", "avatar_url"), fieldNames(res.json()));
            assertFalse(res.body().contains("o@example.com"));
            for (String id : new String[]{"999", "-1", "abc", "99999999999999999999", "0"}) {
                var missing = api.get("/users/" + id, me.accessToken());
                assertEquals(404, missing.status(), id);
                assertEquals("not_found", missing.code());
            }
        });
    }

    private static List<String> usernames(Api.Res res) {
        assertEquals(200, res.status(), res.body());
        List<String> names = new ArrayList<>();
        res.json().get("users").forEach(u -> names.add(u.get("username").asText()));
        return names;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
