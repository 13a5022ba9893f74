package latchkey.chat;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.messages.MessageEvent;
import latchkey.support.Api;
import latchkey.support.Chat;
import latchkey.support.Concurrent;
import latchkey.support.Harness;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.LongStream;

import static latchkey.support.Api.json;
import static latchkey.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessagesTest {
    @Test
    void aSentMessageHasTheNextSeqASenderAndALocation() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            long room = ada.createRoom("General", false);
            Api.Res res = ada.post("/rooms/" + room + "/messages", json("text", "hello 👋"));
            assertEquals(201, res.status(), res.body());
            JsonNode m = res.json();
            assertEquals("/rooms/" + room + "/messages/" + m.get("id").asLong(), res.header("Location"));
            assertEquals(1, m.get("seq").asLong());
            assertEquals(room, m.get("room_id").asLong());
            assertEquals(ada.userId(), m.at("/sender/id").asLong());
            assertEquals("hello 👋", m.get("text").asText());
            assertTrue(m.get("attachments").isArray() && m.get("attachments").isEmpty());
            assertTrue(m.get("reply_to").isNull() && m.get("client_id").isNull() && m.get("edited_at").isNull());
            assertFalse(m.get("deleted").asBoolean());
            assertEquals(m, Chat.expect(200, ada.get(res.header("Location"))), "GET of the Location is the same message");
            assertEquals(1, ada.room(room).get("last_seq").asLong());
            assertEquals(m, ada.room(room).get("last_message"));
        });
    }

    @Test
    void theSameClientIdSentTwentyTimesAtOnceMakesOneMessage() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            long room = ada.createRoom("General", false);
            List<Api.Res> answers = Concurrent.atOnce(20, () -> ada.post("/rooms/" + room + "/messages", json("text", "once", "client_id", "tap-1")));
            Set<Long> ids = new HashSet<>();
            int created = 0;
            for (Api.Res res : answers) {
                assertTrue(res.status() == 201 || res.status() == 200, res.toString());
                if (res.status() == 201) created++;
                ids.add(res.json().get("id").asLong());
                assertEquals("tap-1", res.json().get("client_id").asText());
            }
            assertEquals(1, created, "exactly one send created the message");
            assertEquals(1, ids.size(), "every retry answered with the first message");
            assertEquals(List.of(1L), Chat.seqs(ada.messages(room, "")));
            assertEquals(1, ada.room(room).get("last_seq").asLong(), "a retry takes no number");
            // The same client_id is another message in another room, or from another sender.
            long other = ada.createRoom("Other", false);
            assertEquals(201, ada.post("/rooms/" + other + "/messages", json("text", "once", "client_id", "tap-1")).status());
        });
    }

    @Test
    void oneHundredConcurrentPostsGetSeqsOneToOneHundredSeenInOrderByTheBus() {
        Harness.test(Map.of("ratelimit.enabled", "false"), (api, ctx) -> {
            ConcurrentLinkedQueue<MessageEvent> events = new ConcurrentLinkedQueue<>();
            ctx.events().subscribe(MessageEvent.class, events::add);
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            long room = ada.createRoom("General", false, bob);
            int[] n = {0};
            List<Api.Res> answers = Concurrent.atOnce(100, () -> {
                Chat who;
                synchronized (n) {
                    who = n[0]++ % 2 == 0 ? ada : bob;
                }
                return who.post("/rooms/" + room + "/messages", json("text", "m"));
            });
            Set<Long> seqs = new HashSet<>();
            for (Api.Res res : answers) {
                assertEquals(201, res.status(), res.toString());
                seqs.add(res.json().get("seq").asLong());
            }
            Set<Long> expected = new HashSet<>(LongStream.rangeClosed(1, 100).boxed().toList());
            assertEquals(expected, seqs, "no gap, no duplicate");
            List<Long> stored = Chat.seqs(ada.messages(room, "?limit=200"));
            assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(), stored);
            List<Long> published = events.stream().filter(e -> e.roomId() == room).map(MessageEvent::seq).toList();
            assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(), published, "events come after commit, in seq order");
        });
    }

    @Test
    void eventsArePublishedOnlyAfterTheCommit() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            long room = ada.createRoom("General", false);
            ConcurrentLinkedQueue<String> seenInDatabase = new ConcurrentLinkedQueue<>();
            ctx.events().subscribe(MessageEvent.class, e -> {
                // A reader connection sees only committed data: the event's message must already be there.
                int rows = ctx.db().read(h -> h.createQuery("SELECT count(*) FROM messages WHERE id = ?")
                        .bind(0, e.message().id()).mapTo(Integer.class).one());
                seenInDatabase.add(e.type() + ":" + rows);
            });
            long id = ada.send(room, "one").get("id").asLong();
            Chat.expect(200, ada.patch("/rooms/" + room + "/messages/" + id, json("text", "two")));
            Chat.expect(204, ada.delete("/rooms/" + room + "/messages/" + id));
            assertEquals(List.of("message.created:1", "message.updated:1", "message.deleted:1"), List.copyOf(seenInDatabase));
        });
    }

    @Test
    void editsAndDeletesTakeTheNextNumberAndDeletedMessagesStayAsTombstones() {
        Harness.test((api, ctx) -> {
            ConcurrentLinkedQueue<MessageEvent> events = new ConcurrentLinkedQueue<>();
            ctx.events().subscribe(MessageEvent.class, events::add);
            Chat ada = Chat.signUp(api, "ada@example.com");
            long room = ada.createRoom("General", false);
            long first = ada.send(room, "first").get("id").asLong();
            ada.send(room, "second");
            JsonNode edited = Chat.expect(200, ada.patch("/rooms/" + room + "/messages/" + first, json("text", "first, edited")));
            assertEquals("first, edited", edited.get("text").asText());
            assertEquals(1, edited.get("seq").asLong(), "a message keeps the number of its creation");
            assertFalse(edited.get("edited_at").isNull());
            assertEquals(3, ada.room(room).get("last_seq").asLong(), "the edit took number 3");
            assertEquals(204, ada.delete("/rooms/" + room + "/messages/" + first).status());
            assertEquals(4, ada.room(room).get("last_seq").asLong(), "the delete took number 4");
            assertEquals(204, ada.delete("/rooms/" + room + "/messages/" + first).status(), "deleting again is fine");
            assertEquals(4, ada.room(room).get("last_seq").asLong(), "and takes no number");
            JsonNode page = ada.messages(room, "");
            assertEquals(List.of(1L, 2L), Chat.seqs(page), "the tombstone keeps its place");
            JsonNode tombstone = page.get("messages").get(0);
            assertTrue(tombstone.get("deleted").asBoolean());
            assertTrue(tombstone.get("text").isNull());
            assertTrue(tombstone.get("attachments").isEmpty());
            assertEquals(ada.userId(), tombstone.at("/sender/id").asLong());
            assertProblem(ada.patch("/rooms/" + room + "/messages/" + first, json("text", "back")), 409, "conflict");
            assertEquals(List.of("message.created:1", "message.created:2", "message.updated:3", "message.deleted:4"),
                    events.stream().map(e -> e.type() + ":" + e.seq()).toList());
            assertTrue(events.stream().skip(3).findFirst().orElseThrow().message().deleted());
        });
    }

    @Test
    void pagesAreAscendingWithBeforeAfterAndHasMoreAtEveryBoundary() {
        Harness.test(Map.of("ratelimit.enabled", "false"), (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            long room = ada.createRoom("General", false);
            JsonNode empty = ada.messages(room, "");
            assertTrue(empty.get("messages").isEmpty());
            assertFalse(empty.get("has_more").asBoolean());
            for (int i = 1; i <= 7; i++) ada.send(room, "m" + i);
            assertEquals(List.of(5L, 6L, 7L), Chat.seqs(ada.messages(room, "?limit=3")));
            assertTrue(ada.messages(room, "?limit=3").get("has_more").asBoolean());
            assertEquals(List.of(2L, 3L, 4L), Chat.seqs(ada.messages(room, "?limit=3&before=5")));
            assertTrue(ada.messages(room, "?limit=3&before=5").get("has_more").asBoolean());
            assertEquals(List.of(1L, 2L, 3L), Chat.seqs(ada.messages(room, "?limit=3&before=4")));
            assertFalse(ada.messages(room, "?limit=3&before=4").get("has_more").asBoolean(), "exactly the oldest three: nothing before");
            assertEquals(List.of(), Chat.seqs(ada.messages(room, "?before=1")));
            assertEquals(List.of(1L, 2L, 3L), Chat.seqs(ada.messages(room, "?limit=3&after=0")));
            assertEquals(List.of(5L, 6L, 7L), Chat.seqs(ada.messages(room, "?limit=3&after=4")));
            assertFalse(ada.messages(room, "?limit=3&after=4").get("has_more").asBoolean(), "exactly the newest three: nothing after");
            assertTrue(ada.messages(room, "?limit=3&after=3").get("has_more").asBoolean());
            assertEquals(List.of(), Chat.seqs(ada.messages(room, "?after=7")));
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), Chat.seqs(ada.messages(room, "?limit=200")));
            assertFalse(ada.messages(room, "?limit=7").get("has_more").asBoolean());
            assertEquals(List.of(1L), Chat.seqs(ada.messages(room, "?limit=1&after=0")));
            for (String bad : List.of("?limit=0", "?limit=201", "?limit=x", "?before=-1", "?after=1.5", "?before=2&after=1", "?after=" + "9".repeat(30))) {
                assertProblem(ada.get("/rooms/" + room + "/messages" + bad), 400, "validation_failed");
            }
        });
    }

    @Test
    void unreadCountsMessagesFromOthersNotDeletedAfterTheCursorAndTheCursorOnlyMovesForward() {
        Harness.test(Map.of("ratelimit.enabled", "false"), (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            long room = ada.createRoom("General", false, bob);
            ada.send(room, "1");
            long second = ada.send(room, "2").get("id").asLong();
            ada.send(room, "3");
            bob.send(room, "4: bob's own");
            assertEquals(3, bob.room(room).at("/membership/unread_count").asInt(), "bob's own message is not unread");
            assertEquals(1, ada.room(room).at("/membership/unread_count").asInt());
            Chat.expect(204, ada.delete("/rooms/" + room + "/messages/" + second));
            assertEquals(2, bob.room(room).at("/membership/unread_count").asInt(), "a deleted message is not unread");
            Chat.expect(200, ada.patch("/rooms/" + room + "/messages/" + (second + 1), json("text", "3, edited")));
            assertEquals(2, bob.room(room).at("/membership/unread_count").asInt(), "an edit is no new message");

            JsonNode read = Chat.expect(200, bob.put("/rooms/" + room + "/read", json("seq", 3)));
            assertEquals(3, read.get("last_read_seq").asLong());
            assertEquals(0, read.get("unread_count").asInt(), "messages 1 and 3 are read, 2 is deleted, 4 is bob's");
            read = Chat.expect(200, bob.put("/rooms/" + room + "/read", json("seq", 1)));
            assertEquals(3, read.get("last_read_seq").asLong(), "the cursor does not move back");
            read = Chat.expect(200, bob.put("/rooms/" + room + "/read", json("seq", 1_000_000)));
            long lastSeq = bob.room(room).get("last_seq").asLong();
            assertEquals(lastSeq, read.get("last_read_seq").asLong(), "a seq beyond last_seq is clamped to it");
            assertEquals(lastSeq, bob.room(room).at("/membership/last_read_seq").asLong());
            for (String body : List.of("{}", json("seq", -1), json("seq", "3"), json("seq", 1.5), json("seq", null))) {
                assertProblem(bob.put("/rooms/" + room + "/read", body), 400, "validation_failed");
            }
        });
    }

    @Test
    void unreadCountsStopAtOneThousand() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            long room = ada.createRoom("Busy", false, bob);
            ada.send(room, "the first, through the API");
            // The other 1,004 straight into the table, as the server would have numbered them.
            ctx.db().writer().useHandle(h -> {
                for (int seq = 2; seq <= 1_005; seq++) {
                    h.execute("INSERT INTO messages (room_id, seq, change_seq, sender_id, text, created_at) VALUES (?, ?, ?, ?, 'x', 0)",
                            room, seq, seq, ada.userId());
                }
                h.execute("UPDATE rooms SET last_seq = 1005 WHERE id = ?", room);
            });
            assertEquals(1_000, bob.room(room).at("/membership/unread_count").asInt());
            assertEquals(5, Chat.expect(200, bob.put("/rooms/" + room + "/read", json("seq", 1_000))).get("unread_count").asInt());
        });
    }

    @Test
    void aReplyPointsAtAMessageOfTheSameRoom() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            long room = ada.createRoom("General", false);
            long other = ada.createRoom("Other", false);
            long first = ada.send(room, "question").get("id").asLong();
            long elsewhere = ada.send(other, "elsewhere").get("id").asLong();
            JsonNode reply = Chat.expect(201, ada.post("/rooms/" + room + "/messages", json("text", "answer", "reply_to", first)));
            assertEquals(first, reply.get("reply_to").asLong());
            assertEquals("reply_to", problemField(ada.post("/rooms/" + room + "/messages", json("text", "x", "reply_to", elsewhere))));
            assertEquals("reply_to", problemField(ada.post("/rooms/" + room + "/messages", json("text", "x", "reply_to", 999_999))));
            Chat.expect(204, ada.delete("/rooms/" + room + "/messages/" + first));
            assertEquals("reply_to", problemField(ada.post("/rooms/" + room + "/messages", json("text", "x", "reply_to", first))),
                    "a reply to a tombstone is refused");
        });
    }

    @Test
    void everyBadFieldOfASendIsNamed() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            long room = ada.createRoom("General", false);
            String path = "/rooms/" + room + "/messages";
            Map<String, String> cases = new java.util.LinkedHashMap<>();
            cases.put("{}", "text");
            cases.put(json("text", ""), "text");
            cases.put(json("text", "   \n\t "), "text");
            cases.put(json("text", "a".repeat(4_001)), "text");
            cases.put(json("text", "a\u0000b"), "text");
            cases.put(json("text", "bell\u0007"), "text");
            cases.put("{\"text\": \"lone \\ud800 surrogate\"}", "text");
            cases.put(json("text", 42), "text");
            cases.put(json("text", List.of("a")), "text");
            cases.put(json("text", "ok", "client_id", "c".repeat(65)), "client_id");
            cases.put(json("text", "ok", "client_id", ""), "client_id");
            cases.put(json("text", "ok", "client_id", 7), "client_id");
            cases.put(json("text", "ok", "reply_to", "1"), "reply_to");
            cases.put(json("text", "ok", "reply_to", 0), "reply_to");
            cases.put(json("text", "ok", "reply_to", 1.5), "reply_to");
            cases.forEach((body, field) -> assertEquals(field, problemField(ada.post(path, body)), body));
            // Lengths count code points: 4,000 emoji (8,000 UTF-16 units) are fine.
            assertEquals(201, ada.post(path, json("text", "😀".repeat(4_000))).status());
            assertEquals(201, ada.post(path, json("text", "line one\nline two\ttabbed")).status());
            assertProblem(ada.post(path, "{\"text\": \"x\""), 400, "malformed_json");
            assertProblem(ada.post("/rooms/999999/messages", json("text", "x")), 404, "not_found");
            assertProblem(ada.post("/rooms/abc/messages", json("text", "x")), 404, "not_found");
            assertProblem(ada.get("/rooms/" + room + "/messages/999999"), 404, "not_found");
            assertProblem(ada.patch("/rooms/" + room + "/messages/999999", json("text", "x")), 404, "not_found");
            assertProblem(ada.delete("/rooms/" + room + "/messages/-3"), 404, "not_found");
        });
    }

    @Test
    void aMessageOfOneRoomIsNotFoundThroughAnother() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            long room = ada.createRoom("General", false);
            long other = ada.createRoom("Other", false);
            long id = ada.send(room, "here").get("id").asLong();
            assertProblem(ada.get("/rooms/" + other + "/messages/" + id), 404, "not_found");
            assertProblem(ada.delete("/rooms/" + other + "/messages/" + id), 404, "not_found");
            assertProblem(ada.patch("/rooms/" + other + "/messages/" + id, json("text", "x")), 404, "not_found");
        });
    }

    @Test
    void sendingIsLimitedPerUserPerMinute() {
        Harness.test(Map.of("chat.messages-per-minute", "5"), (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            long room = ada.createRoom("General", false, bob);
            for (int i = 0; i < 5; i++) ada.send(room, "m" + i);
            Api.Res limited = ada.post("/rooms/" + room + "/messages", json("text", "one too many"));
            assertProblem(limited, 429, "rate_limited");
            long retryAfter = Long.parseLong(limited.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 60, limited.header("Retry-After"));
            assertEquals(201, bob.post("/rooms/" + room + "/messages", json("text", "bob has his own budget")).status());
            assertEquals(6, ada.room(room).get("last_seq").asLong(), "the refused send took no number");
            assertProblem(ada.post("/rooms/" + room + "/messages", json("text", "new", "client_id", "c-new")), 429, "rate_limited");
        });
        Harness.test(Map.of("chat.messages-per-minute", "2"), (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            long room = ada.createRoom("General", false);
            assertEquals(201, ada.post("/rooms/" + room + "/messages", json("text", "one", "client_id", "c-1")).status());
            for (int i = 0; i < 5; i++) {
                assertEquals(200, ada.post("/rooms/" + room + "/messages", json("text", "one", "client_id", "c-1")).status(),
                        "a retry of a message already made answers it, and costs nothing of the allowance");
                assertProblem(ada.post("/rooms/999999/messages", json("text", "nowhere")), 404, "not_found");
            }
            assertEquals(201, ada.post("/rooms/" + room + "/messages", json("text", "two")).status());
            assertProblem(ada.post("/rooms/" + room + "/messages", json("text", "three")), 429, "rate_limited");
            assertEquals(200, ada.post("/rooms/" + room + "/messages", json("text", "one", "client_id", "c-1")).status(),
                    "even when the allowance is spent");
        });
        Harness.test(Map.of("chat.messages-per-minute", "1", "ratelimit.enabled", "false"), (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            long room = ada.createRoom("General", false);
            for (int i = 0; i < 3; i++) ada.send(room, "m" + i);
        });
    }

    @Test
    void typingIsAcceptedForMembersAndRelayedAtMostOnceInTwoSeconds() {
        Harness.test((api, ctx) -> {
            ConcurrentLinkedQueue<Object> typing = new ConcurrentLinkedQueue<>();
            ctx.events().subscribe(latchkey.messages.TypingEvent.class, typing::add);
            Chat ada = Chat.signUp(api, "ada@example.com");
            long room = ada.createRoom("General", false);
            for (int i = 0; i < 5; i++) assertEquals(204, ada.post("/rooms/" + room + "/typing", null).status());
            assertEquals(1, typing.size(), "five notices within two seconds are relayed once");
        });
    }

    private static String problemField(Api.Res res) {
        assertProblem(res, 400, "validation_failed");
        JsonNode errors = res.json().get("errors");
        assertEquals(1, errors.size(), res.body());
        return errors.fieldNames().next();
    }
}
