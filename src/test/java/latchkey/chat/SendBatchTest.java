package latchkey.chat;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.messages.MessageEvent;
import latchkey.support.Api;
import latchkey.support.Chat;
import latchkey.support.Concurrent;
import latchkey.support.Harness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static latchkey.support.Api.json;
import static latchkey.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sends that arrive together are done together, in one piece of the shared transaction (one read
 * of the room and its senders for all of them): each still gets its own answer, and a bad one
 * costs the others nothing.
 */
class SendBatchTest {
    private static final Map<String, String> NO_LIMIT = Map.of("ratelimit.enabled", "false");

    @Test
    void concurrentSendersInSeveralRoomsGetGaplessSeqsInEachRoomAndEventsInOrder() {
        Harness.test(NO_LIMIT, (api, ctx) -> {
            ConcurrentLinkedQueue<MessageEvent> events = new ConcurrentLinkedQueue<>();
            ctx.events().subscribe(MessageEvent.class, events::add);
            List<Chat> people = new ArrayList<>();
            for (int i = 0; i < 4; i++) people.add(Chat.signUp(api, "p" + i + "@example.com"));
            Chat owner = people.get(0);
            Chat[] others = people.subList(1, 4).toArray(Chat[]::new);
            List<Long> rooms = List.of(owner.createRoom("One", false, others), owner.createRoom("Two", true, others),
                    owner.createRoom("Three", false, others));
            AtomicInteger n = new AtomicInteger();
            List<Api.Res> answers = Concurrent.atOnce(90, () -> {
                int i = n.getAndIncrement();
                return people.get(i % 4).post("/rooms/" + rooms.get(i % 3) + "/messages", json("text", "m" + i, "client_id", "c" + i));
            });
            Map<Long, Set<Long>> seqs = new HashMap<>();
            for (Api.Res res : answers) {
                assertEquals(201, res.status(), res.toString());
                seqs.computeIfAbsent(res.json().get("room_id").asLong(), r -> new HashSet<>()).add(res.json().get("seq").asLong());
            }
            for (long room : rooms) {
                List<Long> expected = LongStream.rangeClosed(1, 30).boxed().toList();
                assertEquals(new HashSet<>(expected), seqs.get(room), "room " + room + ": each answer its own number");
                assertEquals(expected, Chat.seqs(owner.messages(room, "?limit=200")), "room " + room + ": stored without gap");
                JsonNode view = owner.room(room);
                assertEquals(30, view.get("last_seq").asLong());
                assertEquals(30, view.at("/last_message/seq").asLong(), "the room's last message is its newest");
                assertEquals(expected, events.stream().filter(e -> e.roomId() == room).map(MessageEvent::seq).toList(),
                        "room " + room + ": events after commit, in seq order");
            }
        });
    }

    @Test
    void aNonMemberAmongConcurrentSendersIsRefusedAndTheOthersAreSent() {
        Harness.test(NO_LIMIT, (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            Chat eve = Chat.signUp(api, "eve@example.com");
            long open = ada.createRoom("Open", false, bob);
            long closed = ada.createRoom("Closed", true, bob);
            for (long room : List.of(open, closed)) {
                AtomicInteger n = new AtomicInteger();
                List<Api.Res> answers = Concurrent.atOnce(30, () -> {
                    int i = n.getAndIncrement();
                    return (i % 3 == 0 ? eve : i % 3 == 1 ? ada : bob).post("/rooms/" + room + "/messages", json("text", "m" + i));
                });
                int sent = 0;
                for (int i = 0; i < answers.size(); i++) {
                    Api.Res res = answers.get(i);
                    if (res.status() == 201) {
                        sent++;
                        assertTrue(res.json().at("/sender/id").asLong() != eve.userId(), res.body());
                    } else if (room == open) {
                        assertProblem(res, 403, "forbidden");
                    } else {
                        assertProblem(res, 404, "not_found");
                    }
                }
                assertEquals(20, sent, "every member's send, none of eve's");
                assertEquals(LongStream.rangeClosed(1, 20).boxed().toList(), Chat.seqs(ada.messages(room, "?limit=200")));
            }
        });
    }

    @Test
    void duplicateClientIdsAmongConcurrentSendsMakeOneMessageEachAndAllGetIt() {
        Harness.test(NO_LIMIT, (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            long room = ada.createRoom("General", false, bob);
            // Bob's "k0" exists before the batch; within it, ada and bob each send k0..k4 four times.
            long before = Chat.expect(201, bob.post("/rooms/" + room + "/messages", json("text", "first", "client_id", "k0"))).get("id").asLong();
            AtomicInteger n = new AtomicInteger();
            List<Api.Res> answers = Concurrent.atOnce(40, () -> {
                int i = n.getAndIncrement();
                return (i % 2 == 0 ? ada : bob).post("/rooms/" + room + "/messages", json("text", "t" + i, "client_id", "k" + (i / 2) % 5));
            });
            Map<String, Set<Long>> idsByKey = new HashMap<>();
            int created = 0;
            for (Api.Res res : answers) {
                assertTrue(res.status() == 201 || res.status() == 200, res.toString());
                if (res.status() == 201) created++;
                JsonNode m = res.json();
                idsByKey.computeIfAbsent(m.at("/sender/id").asLong() + "/" + m.get("client_id").asText(), k -> new HashSet<>())
                        .add(m.get("id").asLong());
            }
            assertEquals(9, created, "ada's five keys and bob's four new ones");
            assertEquals(10, idsByKey.size());
            idsByKey.values().forEach(ids -> assertEquals(1, ids.size(), "every send of a key answered with one message: " + idsByKey));
            assertEquals(Set.of(before), idsByKey.get(bob.userId() + "/k0"), "the message from before the batch");
            assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), Chat.seqs(ada.messages(room, "?limit=200")));
        });
    }

    @Test
    void aBadReplyToAmongConcurrentSendsFailsOnlyThatSend() {
        Harness.test(NO_LIMIT, (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            long room = ada.createRoom("General", false);
            long elsewhere = ada.send(ada.createRoom("Elsewhere", false), "there").get("id").asLong();
            long target = ada.send(room, "target").get("id").asLong();
            long gone = ada.send(room, "gone").get("id").asLong();
            Chat.expect(204, ada.delete("/rooms/" + room + "/messages/" + gone));
            long[] replyTo = {target, elsewhere, gone, 999_999};
            AtomicInteger n = new AtomicInteger();
            List<Api.Res> answers = Concurrent.atOnce(40, () -> {
                int i = n.getAndIncrement();
                return ada.post("/rooms/" + room + "/messages", json("text", "r" + i, "reply_to", replyTo[i % 4]));
            });
            int sent = 0;
            for (Api.Res res : answers) {
                if (res.status() == 201) {
                    sent++;
                    assertEquals(target, res.json().get("reply_to").asLong());
                } else {
                    assertProblem(res, 400, "validation_failed");
                    assertEquals(List.of("reply_to"), fieldNames(res.json().get("errors")));
                }
            }
            assertEquals(10, sent);
            // 1 and 2 are target and gone (a tombstone now), 3 was gone's deletion; the ten replies follow without a gap.
            List<Long> expected = new ArrayList<>(List.of(1L, 2L));
            expected.addAll(LongStream.rangeClosed(4, 13).boxed().toList());
            assertEquals(expected, Chat.seqs(ada.messages(room, "?limit=200")));
            assertEquals(13, ada.room(room).get("last_seq").asLong());
        });
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
