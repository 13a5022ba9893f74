package latchkey.chat;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.messages.MessageEvent;
import latchkey.support.Api;
import latchkey.support.Chat;
import latchkey.support.Harness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static latchkey.support.Api.json;
import static latchkey.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deleting and disabling accounts, by the user or an administrator, with chat data in place. */
class ChatAccountsTest {
    @Test
    void aDeletedAccountLeavesTombstonesWithoutASenderPassesItsRoomsOnAndKeepsDirectRoomsForThePeer() {
        Harness.test((api, ctx) -> {
            ConcurrentLinkedQueue<MessageEvent> events = new ConcurrentLinkedQueue<>();
            ctx.events().subscribe(MessageEvent.class, events::add);
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            Chat cy = Chat.signUp(api, "cy@example.com");
            long owned = ada.createRoom("Ada's", false, bob, cy);
            long alone = ada.createRoom("Ada alone", true);
            long direct = Chat.expect(201, ada.post("/rooms/direct", json("user_id", bob.userId()))).get("id").asLong();
            ada.send(owned, "from ada 1");
            bob.send(owned, "from bob");
            ada.send(owned, "from ada 2");
            ada.send(direct, "hi bob");
            events.clear();

            Chat.expect(204, api.delete("/users/me", json("password", Harness.PASSWORD), ada.token()));

            JsonNode page = bob.messages(owned, "");
            assertEquals(List.of(1L, 2L, 3L), Chat.seqs(page), "every message keeps its place");
            for (int i : new int[]{0, 2}) {
                JsonNode m = page.get("messages").get(i);
                assertTrue(m.get("deleted").asBoolean() && m.get("text").isNull() && m.get("sender").isNull(), m.toString());
            }
            assertEquals("from bob", page.at("/messages/1/text").asText());
            JsonNode room = bob.room(owned);
            assertEquals(5, room.get("last_seq").asLong(), "each tombstone took the room's next number");
            assertEquals(2, room.get("member_count").asInt());
            assertEquals("owner", bob.room(owned).at("/membership/role").asText(), "the oldest member owns the room now");
            assertProblem(bob.get("/rooms/" + alone), 404, "not_found");
            int aloneRows = ctx.db().read(h -> h.createQuery("SELECT count(*) FROM rooms WHERE id = ?").bind(0, alone).mapTo(Integer.class).one());
            assertEquals(0, aloneRows, "a room left empty is deleted");

            JsonNode stays = bob.room(direct);
            assertTrue(stays.get("peer").isNull(), "the direct room stays for bob, without a peer");
            assertEquals(1, stays.get("member_count").asInt());
            assertTrue(bob.messages(direct, "").at("/messages/0/deleted").asBoolean());
            assertEquals(List.of("message.deleted"), events.stream().map(MessageEvent::type).distinct().toList());
            assertEquals(3, events.size(), "one event for each tombstone");
            assertTrue(events.stream().allMatch(e -> e.message().sender() == null && e.message().text() == null));
            assertEquals(201, bob.post("/rooms/" + direct + "/messages", json("text", "are you there?")).status());
            int senderRows = ctx.db().read(h -> h.createQuery("SELECT count(*) FROM messages WHERE sender_id = ?").bind(0, ada.userId()).mapTo(Integer.class).one());
            assertEquals(0, senderRows);

            Chat again = Chat.signUp(api, "ada@example.com");
            JsonNode fresh = Chat.expect(201, again.post("/rooms/direct", json("user_id", bob.userId())));
            assertFalse(fresh.get("id").asLong() == direct, "a new account, even with the same id, gets a new direct room");
        });
    }

    @Test
    void anAdministratorDeletingAnAccountHasTheSameEffect() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            Chat root = Chat.signUpSiteAdmin(api, ctx, "root@example.com");
            long room = ada.createRoom("Ada's", false, bob);
            ada.send(room, "bye");
            Chat.expect(204, root.delete("/admin/users/" + ada.userId()));
            JsonNode m = bob.messages(room, "").at("/messages/0");
            assertTrue(m.get("deleted").asBoolean() && m.get("sender").isNull());
            assertEquals("owner", bob.room(room).at("/membership/role").asText());
        });
    }

    @Test
    void aDisabledUserIsRefusedButTheirMessagesAndRoomsStay() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            Chat root = Chat.signUpSiteAdmin(api, ctx, "root@example.com");
            long room = ada.createRoom("Ada's", false, bob);
            long direct = Chat.expect(201, ada.post("/rooms/direct", json("user_id", bob.userId()))).get("id").asLong();
            ada.send(room, "still here");
            Chat.expect(200, root.patch("/admin/users/" + ada.userId(), json("disabled", true)));
            assertProblem(ada.post("/rooms/" + room + "/messages", json("text", "x")), 401, "invalid_token");
            JsonNode m = bob.messages(room, "").at("/messages/0");
            assertEquals("still here", m.get("text").asText());
            assertEquals(ada.userId(), m.at("/sender/id").asLong());
            assertEquals(2, bob.room(room).get("member_count").asInt());
            assertEquals(ada.userId(), bob.room(direct).at("/peer/id").asLong());
            assertProblem(bob.put("/rooms/" + room + "/members/" + ada.userId(), json("role", "admin")), 403, "forbidden");
            Chat cy = Chat.signUp(api, "cy@example.com");
            assertProblem(cy.post("/rooms/direct", json("user_id", ada.userId())), 404, "not_found");
            Chat.expect(200, root.patch("/admin/users/" + ada.userId(), json("disabled", false)));
            Chat back = new Chat(api, Api.Session.of(api.login("ada@example.com", Harness.PASSWORD)));
            assertEquals(201, back.post("/rooms/" + room + "/messages", json("text", "back")).status());
        });
    }
}
