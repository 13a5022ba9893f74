package latchkey.chat;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.support.Api;
import latchkey.support.Chat;
import latchkey.support.Concurrent;
import latchkey.support.Harness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static latchkey.support.Api.json;
import static latchkey.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomsTest {
    @Test
    void aNewRoomHasItsCreatorAsOwnerAndItsMembers() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            Api.Res res = ada.post("/rooms", json("name", "General", "topic", "Anything goes", "member_ids", List.of(bob.userId(), bob.userId(), ada.userId())));
            assertEquals(201, res.status(), res.body());
            JsonNode room = res.json();
            assertEquals("/rooms/" + room.get("id").asLong(), res.header("Location"));
            assertEquals("group", room.get("kind").asText());
            assertEquals("General", room.get("name").asText());
            assertEquals("Anything goes", room.get("topic").asText());
            assertFalse(room.get("private").asBoolean());
            assertEquals(2, room.get("member_count").asInt(), "duplicates and the creator are counted once");
            assertEquals(0, room.get("last_seq").asLong());
            assertTrue(room.get("last_message").isNull() && room.get("peer").isNull());
            assertEquals("owner", room.at("/membership/role").asText());
            assertEquals(0, room.at("/membership/unread_count").asInt());
            assertEquals("member", bob.room(room.get("id").asLong()).at("/membership/role").asText());
            JsonNode members = Chat.expect(200, ada.get("/rooms/" + room.get("id").asLong() + "/members"));
            assertEquals(List.of(ada.userId(), bob.userId()), ids(members.get("members"), "/user/id"));
        });
    }

    @Test
    void everyBadFieldOfANewRoomIsNamed() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat gone = Chat.signUp(api, "gone@example.com");
            ctx.db().writer().useHandle(h -> h.execute("UPDATE users SET disabled = 1 WHERE id = ?", gone.userId()));
            Map<String, String> cases = new java.util.LinkedHashMap<>();
            cases.put("{}", "name");
            cases.put(json("name", ""), "name");
            cases.put(json("name", "  "), "name");
            cases.put(json("name", "x".repeat(101)), "name");
            cases.put(json("name", "two\nlines"), "name");
            cases.put(json("name", 5), "name");
            cases.put(json("name", "ok", "topic", "t".repeat(501)), "topic");
            cases.put(json("name", "ok", "topic", "nul\u0000"), "topic");
            cases.put(json("name", "ok", "private", "yes"), "private");
            cases.put(json("name", "ok", "member_ids", "1"), "member_ids");
            cases.put(json("name", "ok", "member_ids", List.of("1")), "member_ids");
            cases.put(json("name", "ok", "member_ids", List.of(0)), "member_ids");
            cases.put(json("name", "ok", "member_ids", List.of(999_999)), "member_ids");
            cases.put(json("name", "ok", "member_ids", List.of(gone.userId())), "member_ids");
            cases.forEach((body, field) -> {
                Api.Res res = ada.post("/rooms", body);
                assertProblem(res, 400, "validation_failed");
                assertTrue(res.json().get("errors").has(field), body + " -> " + res);
            });
            Api.Res all = ada.post("/rooms", json("name", "", "topic", 5, "private", 1));
            assertEquals(Set.of("name", "topic", "private"), fields(all.json().get("errors")), "every bad field at once");
            assertEquals(201, ada.post("/rooms", json("name", "😀".repeat(100))).status(), "100 characters, counted as code points");
        });
    }

    @Test
    void aRoomIsFullAtItsLimit() {
        Harness.test(Map.of("chat.max-room-members", "3"), (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            Chat cy = Chat.signUp(api, "cy@example.com");
            Chat dee = Chat.signUp(api, "dee@example.com");
            assertProblem(ada.post("/rooms", json("name", "Too big", "member_ids", List.of(bob.userId(), cy.userId(), dee.userId()))), 409, "room_full");
            long room = ada.createRoom("Three", false, bob, cy);
            assertProblem(ada.put("/rooms/" + room + "/members/" + dee.userId(), null), 409, "room_full");
            assertProblem(dee.post("/rooms/" + room + "/join", null), 409, "room_full");
            Chat.expect(204, cy.post("/rooms/" + room + "/leave", null));
            assertEquals(200, dee.post("/rooms/" + room + "/join", null).status(), "a place came free");
            assertEquals(3, ada.room(room).get("member_count").asInt());
        });
    }

    @Test
    void whenTheOwnerLeavesTheOldestAdminElseTheOldestMemberOwnsTheRoomAndAnEmptyRoomIsDeleted() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            Chat cy = Chat.signUp(api, "cy@example.com");
            long room = ada.createRoom("General", false, bob, cy);
            Chat.expect(200, ada.put("/rooms/" + room + "/members/" + cy.userId(), json("role", "admin")));
            Chat.expect(204, ada.post("/rooms/" + room + "/leave", null));
            assertEquals("owner", cy.room(room).at("/membership/role").asText(), "the admin, though bob joined as early");
            Chat.expect(204, cy.post("/rooms/" + room + "/leave", null));
            assertEquals("owner", bob.room(room).at("/membership/role").asText(), "no admin left: the oldest member");
            assertEquals(1, bob.room(room).get("member_count").asInt());
            Chat.expect(204, bob.post("/rooms/" + room + "/leave", null));
            assertProblem(bob.get("/rooms/" + room), 404, "not_found");
            int rows = ctx.db().read(h -> h.createQuery("SELECT count(*) FROM rooms WHERE id = ?").bind(0, room).mapTo(Integer.class).one());
            assertEquals(0, rows, "the empty room is deleted");
        });
    }

    @Test
    void ownershipPassesOnlyWhenTheOwnerPassesIt() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            long room = ada.createRoom("General", false, bob);
            assertProblem(ada.put("/rooms/" + room + "/members/" + ada.userId(), json("role", "member")), 409, "conflict");
            JsonNode member = Chat.expect(200, ada.put("/rooms/" + room + "/members/" + bob.userId(), json("role", "owner")));
            assertEquals("owner", member.get("role").asText());
            assertEquals("admin", ada.room(room).at("/membership/role").asText(), "the former owner stays as an admin");
            assertProblem(ada.put("/rooms/" + room + "/members/" + bob.userId(), json("role", "member")), 409, "conflict");
            assertProblem(ada.put("/rooms/" + room + "/members/" + bob.userId(), json("role", "boss")), 400, "validation_failed");
            Chat cy = Chat.signUp(api, "cy@example.com");
            assertProblem(bob.put("/rooms/" + room + "/members/" + cy.userId(), json("role", "owner")), 400, "validation_failed");
            assertProblem(bob.put("/rooms/" + room + "/members/999999", null), 404, "not_found");
            assertEquals(200, bob.put("/rooms/" + room + "/members/" + ada.userId(), null).status(), "a PUT of a member without a role changes nothing");
        });
    }

    @Test
    void bothUsersOpeningTheirDirectRoomAtOnceGetOneRoom() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            for (int round = 0; round < 5; round++) {
                Chat cy = Chat.signUp(api, "cy" + round + "@example.com");
                List<Api.Res> answers = Concurrent.atOnce(10, new java.util.function.Supplier<>() {
                    int n;

                    @Override
                    public synchronized Api.Res get() {
                        return n++ % 2 == 0 ? ada.post("/rooms/direct", json("user_id", cy.userId()))
                                : cy.post("/rooms/direct", json("user_id", ada.userId()));
                    }
                });
                Set<Long> rooms = new HashSet<>();
                int created = 0;
                for (Api.Res res : answers) {
                    assertTrue(res.status() == 201 || res.status() == 200, res.toString());
                    if (res.status() == 201) created++;
                    rooms.add(res.json().get("id").asLong());
                }
                assertEquals(1, created);
                assertEquals(1, rooms.size());
            }
            JsonNode direct = Chat.expect(201, ada.post("/rooms/direct", json("user_id", bob.userId())));
            assertEquals("direct", direct.get("kind").asText());
            assertTrue(direct.get("private").asBoolean() && direct.get("name").isNull());
            assertEquals(bob.userId(), direct.at("/peer/id").asLong());
            assertEquals(ada.userId(), bob.room(direct.get("id").asLong()).at("/peer/id").asLong());
            assertEquals(2, direct.get("member_count").asInt());
            assertProblem(ada.post("/rooms/direct", json("user_id", ada.userId())), 400, "validation_failed");
            assertProblem(ada.post("/rooms/direct", json("user_id", 999_999)), 404, "not_found");
            assertProblem(ada.post("/rooms/direct", json("user_id", "2")), 400, "validation_failed");
            Chat cy = Chat.signUp(api, "cy@example.com");
            assertProblem(cy.get("/rooms/" + direct.get("id").asLong()), 404, "not_found");
            long id = direct.get("id").asLong();
            assertProblem(ada.post("/rooms/" + id + "/leave", null), 409, "conflict");
            assertProblem(cy.post("/rooms/" + id + "/join", null), 404, "not_found");
            assertProblem(ada.put("/rooms/" + id + "/members/" + cy.userId(), null), 409, "conflict");
            assertProblem(ada.patch("/rooms/" + id, json("name", "ours")), 409, "conflict");
            assertProblem(ada.delete("/rooms/" + id), 409, "conflict");
            Chat disabled = Chat.signUp(api, "disabled@example.com");
            ctx.db().writer().useHandle(h -> h.execute("UPDATE users SET disabled = 1 WHERE id = ?", disabled.userId()));
            assertProblem(ada.post("/rooms/direct", json("user_id", disabled.userId())), 404, "not_found");
        });
    }

    @Test
    void myRoomsComeLatestActivityFirstWithTheirLastMessageAndUnreadCountsInPages() {
        Harness.test(Map.of("ratelimit.enabled", "false"), (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            List<Long> rooms = new ArrayList<>();
            // Apart by a few milliseconds: activity ties are broken by id, and this test is about time.
            for (int i = 0; i < 5; i++) {
                rooms.add(ada.createRoom("room " + i, i % 2 == 0, bob));
                Thread.sleep(3);
            }
            long direct = Chat.expect(201, bob.post("/rooms/direct", json("user_id", ada.userId()))).get("id").asLong();
            Thread.sleep(3);
            bob.send(rooms.get(1), "one");
            Thread.sleep(3);
            bob.send(rooms.get(3), "three");
            Thread.sleep(3);
            ada.send(rooms.get(1), "one again");
            // Order: 1 (latest message), 3, then the rest by creation, newest first: direct, 4, 2, 0.
            List<Long> expected = List.of(rooms.get(1), rooms.get(3), direct, rooms.get(4), rooms.get(2), rooms.get(0));
            List<List<JsonNode>> pages = ada.pages("/rooms?limit=4", "rooms");
            assertEquals(expected, pages.stream().flatMap(List::stream).map(r -> r.get("id").asLong()).toList());
            assertEquals(2, pages.size());
            JsonNode first = Chat.expect(200, ada.get("/rooms?limit=2")).get("rooms");
            assertEquals("one again", first.get(0).at("/last_message/text").asText());
            assertEquals(1, first.get(0).at("/membership/unread_count").asInt(), "bob's message; ada's own is not unread");
            assertEquals(1, first.get(1).at("/membership/unread_count").asInt());
            assertEquals(1, Chat.expect(200, bob.get("/rooms?limit=1")).get("rooms").get(0).at("/membership/unread_count").asInt(),
                    "bob has one unread in room 1: ada's message");
            assertProblem(ada.get("/rooms?after=garbage!"), 400, "validation_failed");
            assertProblem(ada.get("/rooms?after=" + java.util.Base64.getUrlEncoder().encodeToString("x:y".getBytes())), 400, "validation_failed");
            assertProblem(ada.get("/rooms?limit=101"), 400, "validation_failed");
            assertProblem(ada.get("/rooms?scope=everything"), 400, "validation_failed");
            assertProblem(ada.get("/rooms?q=room"), 400, "validation_failed");
        });
    }

    @Test
    void thePublicDirectoryListsPublicGroupRoomsByNameWithACaseInsensitivePrefix() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            for (String name : List.of("Zebra", "alpha", "Alpine", "beta", "ÄLTER", "100% real", "under_score")) ada.createRoom(name, false);
            ada.createRoom("Alps (private)", true);
            Chat.expect(201, ada.post("/rooms/direct", json("user_id", bob.userId())));
            assertEquals(List.of("100% real", "alpha", "Alpine", "beta", "under_score", "Zebra", "ÄLTER"), names(bob, "/rooms?scope=public&limit=100"));
            assertEquals(List.of("alpha", "Alpine"), names(bob, "/rooms?scope=public&q=AL"));
            assertEquals(List.of("ÄLTER"), names(bob, "/rooms?scope=public&q=äl"));
            assertEquals(List.of("100% real"), names(bob, "/rooms?scope=public&q=100%25"));
            assertEquals(List.of(), names(bob, "/rooms?scope=public&q=%25"), "% matches only itself");
            assertEquals(List.of("under_score"), names(bob, "/rooms?scope=public&q=under_"));
            assertEquals(List.of(), names(bob, "/rooms?scope=public&q=unde_s"), "_ matches only itself");
            List<JsonNode> paged = bob.pages("/rooms?scope=public&limit=3", "rooms").stream().flatMap(List::stream).toList();
            assertEquals(names(bob, "/rooms?scope=public&limit=100"), paged.stream().map(r -> r.get("name").asText()).toList());
            assertTrue(paged.stream().allMatch(r -> r.get("membership").isNull()), "bob is in none of them");
            assertEquals("owner", Chat.expect(200, ada.get("/rooms?scope=public&q=zeb")).at("/rooms/0/membership/role").asText());
        });
    }

    @Test
    void roomsCanBeRenamedAndMadePrivateAndMembersPaged() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat outsider = Chat.signUp(api, "outsider@example.com");
            List<Chat> members = new ArrayList<>();
            for (int i = 0; i < 7; i++) members.add(Chat.signUp(api, "m" + i + "@example.com"));
            long room = ada.createRoom("General", false, members.toArray(new Chat[0]));
            JsonNode renamed = Chat.expect(200, ada.patch("/rooms/" + room, json("name", "Renamed", "topic", "new topic")));
            assertEquals("Renamed", renamed.get("name").asText());
            assertEquals("new topic", renamed.get("topic").asText());
            JsonNode cleared = Chat.expect(200, ada.patch("/rooms/" + room, json("topic", null)));
            assertTrue(cleared.get("topic").isNull());
            assertEquals("Renamed", cleared.get("name").asText(), "a field not sent stays");
            assertProblem(ada.patch("/rooms/" + room, json("name", null)), 400, "validation_failed");
            assertEquals(200, outsider.get("/rooms/" + room).status());
            Chat.expect(200, ada.patch("/rooms/" + room, json("private", true)));
            assertProblem(outsider.get("/rooms/" + room), 404, "not_found");
            List<Long> seen = ada.pages("/rooms/" + room + "/members?limit=3", "members").stream().flatMap(List::stream)
                    .map(m -> m.at("/user/id").asLong()).toList();
            assertEquals(8, seen.size());
            assertEquals(8, new HashSet<>(seen).size());
            assertProblem(ada.get("/rooms/" + room + "/members?after=bad"), 400, "validation_failed");
        });
    }

    @Test
    void deletingARoomTakesItsMessagesAlong() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            long room = ada.createRoom("General", false);
            ada.send(room, "one");
            Chat.expect(204, ada.delete("/rooms/" + room));
            assertProblem(ada.get("/rooms/" + room), 404, "not_found");
            assertProblem(ada.get("/rooms/" + room + "/messages"), 404, "not_found");
            int rows = ctx.db().read(h -> h.createQuery("SELECT count(*) FROM messages WHERE room_id = ?").bind(0, room).mapTo(Integer.class).one());
            assertEquals(0, rows);
        });
    }

    private static List<Long> ids(JsonNode array, String pointer) {
        List<Long> ids = new ArrayList<>();
        array.forEach(e -> ids.add(e.at(pointer).asLong()));
        return ids;
    }

    private static List<String> names(Chat who, String path) {
        List<String> names = new ArrayList<>();
        Chat.expect(200, who.get(path)).get("rooms").forEach(r -> names.add(r.get("name").asText()));
        return names;
    }

    private static Set<String> fields(JsonNode errors) {
        Set<String> names = new HashSet<>();
        errors.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
