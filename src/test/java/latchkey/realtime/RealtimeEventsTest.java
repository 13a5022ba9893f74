package latchkey.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.support.Chat;
import latchkey.support.Harness;
import latchkey.support.Ws;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static latchkey.support.Api.json;
import static latchkey.support.Chat.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every event type of the contract, to the members of a room and to nobody else. */
class RealtimeEventsTest {
    private static final Duration QUIET = Duration.ofMillis(300);

    @Test
    void readyCarriesTheTokensUserSessionAndExpiry() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            try (Ws ws = Ws.connect(api)) {
                ws.auth(ada.token());
                JsonNode ready = ws.next("ready");
                assertEquals(ada.userId(), ready.get("user_id").asLong());
                assertTrue(ready.get("session_id").asLong() > 0);
                assertTrue(ready.get("expires_at").asText().endsWith("Z"), ready.toString());
            }
        });
    }

    @Test
    void historyChangesReachEveryMembersSocketsInOrder() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            long room = ada.createRoom("general", true, bob);
            try (Ws adaPhone = Ws.open(api, ada.token()); Ws adaTab = Ws.open(api, ada.token()); Ws bobWs = Ws.open(api, bob.token())) {
                JsonNode sent = bob.send(room, "hello");
                for (Ws ws : List.of(adaPhone, adaTab, bobWs)) {
                    JsonNode created = ws.next("message.created");
                    assertEquals(room, created.get("room_id").asLong());
                    assertEquals(sent.get("seq").asLong(), created.get("seq").asLong());
                    assertEquals("hello", created.at("/message/text").asText());
                    assertEquals(bob.userId(), created.at("/message/sender/id").asLong());
                }
                long id = sent.get("id").asLong();
                expect(200, bob.patch("/rooms/" + room + "/messages/" + id, json("text", "hello, edited")));
                JsonNode updated = adaPhone.next("message.updated");
                assertEquals(sent.get("seq").asLong() + 1, updated.get("seq").asLong(), "the number of the change");
                assertEquals("hello, edited", updated.at("/message/text").asText());
                assertFalse(updated.at("/message/edited_at").isNull());
                expect(204, ada.delete("/rooms/" + room + "/messages/" + id));
                JsonNode deleted = bobWs.next("message.deleted");
                assertEquals(sent.get("seq").asLong() + 2, deleted.get("seq").asLong());
                assertTrue(deleted.at("/message/deleted").asBoolean());
                assertTrue(deleted.at("/message/text").isNull());
            }
        });
    }

    @Test
    void readTypingAndRoomChangesReachTheMembers() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            long room = ada.createRoom("general", false, bob);
            try (Ws adaWs = Ws.open(api, ada.token()); Ws bobWs = Ws.open(api, bob.token())) {
                long seq = bob.send(room, "hi").get("seq").asLong();
                expect(200, ada.put("/rooms/" + room + "/read", json("seq", seq)));
                JsonNode read = bobWs.next("read");
                assertEquals(ada.userId(), read.get("user_id").asLong());
                assertEquals(seq, read.get("seq").asLong());
                assertEquals(room, read.get("room_id").asLong());

                bobWs.send(json("type", "typing", "room_id", room));
                JsonNode typing = adaWs.next("typing");
                assertEquals(bob.userId(), typing.get("user_id").asLong());
                assertEquals(room, typing.get("room_id").asLong());
                assertTrue(bobWs.drain(QUIET).stream().noneMatch(f -> f.path("type").asText().equals("typing")),
                        "the typer's own sockets do not hear themselves");

                expect(200, ada.patch("/rooms/" + room, json("topic", "news")));
                for (Ws ws : List.of(adaWs, bobWs)) {
                    JsonNode updated = ws.next("room.updated");
                    assertEquals("news", updated.at("/room/topic").asText());
                    assertTrue(updated.at("/room/membership").isNull(), "nobody's own membership rides along");
                }

                expect(200, ada.put("/rooms/" + room + "/members/" + bob.userId(), json("role", "admin")));
                JsonNode role = bobWs.next("member.updated");
                assertEquals("admin", role.get("role").asText());
                assertEquals(bob.userId(), role.at("/user/id").asLong());
            }
        });
    }

    @Test
    void typingIsRelayedOncePerTwoSecondsPerUserAndRoom() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            long room = ada.createRoom("general", false, bob);
            try (Ws adaWs = Ws.open(api, ada.token()); Ws bobWs = Ws.open(api, bob.token())) {
                for (int i = 0; i < 5; i++) bobWs.send(json("type", "typing", "room_id", room));
                expect(204, bob.post("/rooms/" + room + "/typing", "{}"));
                adaWs.next("typing");
                assertTrue(adaWs.drain(Duration.ofMillis(500)).stream().noneMatch(f -> f.path("type").asText().equals("typing")));
            }
        });
    }

    @Test
    void joiningStartsTheEventsAtOnceAndLeavingStopsThem() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat cy = Chat.signUp(api, "cy@example.com");
            long room = ada.createRoom("secret", true);
            try (Ws adaWs = Ws.open(api, ada.token()); Ws cyWs = Ws.open(api, cy.token())) {
                ada.send(room, "before cy");
                expect(201, ada.put("/rooms/" + room + "/members/" + cy.userId(), "{}"));
                JsonNode joined = cyWs.next("member.joined");
                assertEquals(cy.userId(), joined.at("/user/id").asLong());
                assertEquals("member", joined.get("role").asText());
                adaWs.next("member.joined");
                ada.send(room, "for cy");
                assertEquals("for cy", cyWs.next("message.created").at("/message/text").asText());

                expect(204, ada.delete("/rooms/" + room + "/members/" + cy.userId()));
                assertEquals(cy.userId(), cyWs.next("member.left").at("/user/id").asLong());
                ada.send(room, "after cy");
                assertEquals("after cy", adaWs.next(f -> f.at("/message/text").asText().equals("after cy"), "the last message").at("/message/text").asText());
                List<JsonNode> rest = cyWs.drain(QUIET);
                assertTrue(rest.isEmpty(), "a removed member hears nothing more: " + rest);
            }
        });
    }

    @Test
    void aDeletedRoomIsAnnouncedThenSilent() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            long room = ada.createRoom("doomed", false, bob);
            try (Ws bobWs = Ws.open(api, bob.token())) {
                expect(204, ada.delete("/rooms/" + room));
                assertEquals(room, bobWs.next("room.deleted").get("room_id").asLong());
            }
        });
    }

    @Test
    void outsidersSeeNothingOfAPrivateRoom() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            Chat eve = Chat.signUp(api, "eve@example.com");
            long room = ada.createRoom("private", true, bob);
            try (Ws eveWs = Ws.open(api, eve.token()); Ws bobWs = Ws.open(api, bob.token())) {
                long id = ada.send(room, "secret").get("id").asLong();
                expect(200, ada.patch("/rooms/" + room + "/messages/" + id, json("text", "still secret")));
                expect(200, bob.put("/rooms/" + room + "/read", json("seq", 2)));
                expect(204, ada.post("/rooms/" + room + "/typing", "{}"));
                expect(200, ada.patch("/rooms/" + room, json("topic", "hidden")));
                bobWs.next("room.updated");
                eveWs.send(json("type", "typing", "room_id", room));
                Ws.assertError(eveWs.next("error"), "not_a_member");
                List<JsonNode> seen = eveWs.drain(QUIET);
                assertTrue(seen.isEmpty(), "an outsider's socket got " + seen);
            }
        });
    }

    @Test
    void presenceGoesToRoommatesWithoutFlickerOnAQuickReconnect() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            ada.createRoom("general", false, bob);
            try (Ws adaWs = Ws.open(api, ada.token())) {
                Ws bobWs = Ws.open(api, bob.token());
                JsonNode online = adaWs.next(f -> f.path("type").asText().equals("presence"), "bob's presence");
                assertEquals(bob.userId(), online.get("user_id").asLong());
                assertEquals("online", online.get("status").asText());
                bobWs.close();
                try (Ws again = Ws.open(api, bob.token())) {
                    assertTrue(presence(adaWs, Duration.ofMillis(Hub.PRESENCE_GRACE_MILLIS + 1000)).isEmpty(), "no offline blip");
                }
                JsonNode offline = adaWs.next(f -> f.path("type").asText().equals("presence"), "bob going offline",
                        Duration.ofMillis(Hub.PRESENCE_GRACE_MILLIS + 2000));
                assertEquals("offline", offline.get("status").asText());
            }
        });
    }

    @Test
    void aNewSocketLearnsWhoIsOnline() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            ada.createRoom("general", false, bob);
            try (Ws adaWs = Ws.open(api, ada.token()); Ws bobWs = Ws.open(api, bob.token())) {
                JsonNode present = bobWs.next(f -> f.path("type").asText().equals("presence"), "ada's presence");
                assertEquals(ada.userId(), present.get("user_id").asLong());
                assertEquals("online", present.get("status").asText());
            }
        });
    }

    private static List<JsonNode> presence(Ws ws, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        List<JsonNode> got = new java.util.ArrayList<>();
        JsonNode frame;
        while ((frame = ws.poll(deadline - System.nanoTime())) != null) {
            if (frame.path("type").asText().equals("presence")) got.add(frame);
        }
        return got;
    }
}
