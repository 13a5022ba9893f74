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
import java.util.concurrent.atomic.AtomicInteger;

import static latchkey.support.Api.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The races of one node hold across two on one PostgreSQL database: each node has its own
 * writer, so the database decides, and the losing node's work runs again on what the other wrote.
 */
class TwoNodesChatTest {
    private static final Map<String, String> NO_SEND_LIMIT = Map.of("chat.messages-per-minute", "100000");

    @Test
    void sendsSplitOverTwoNodesGetOneGapFreeSequence() throws Exception {
        assumeTrue(Harness.POSTGRESQL, "several nodes share a PostgreSQL database");
        Harness.twoNodes(NO_SEND_LIMIT, (a, b, ctx) -> {
            Chat ada = Chat.signUp(a, "ada@example.com");
            Chat adaOnB = new Chat(b, ada.session());
            long room = ada.createRoom("busy", false);
            AtomicInteger n = new AtomicInteger();
            List<Api.Res> answers = Concurrent.atOnce(100, () -> {
                int i = n.getAndIncrement();
                return (i % 2 == 0 ? ada : adaOnB).post("/rooms/" + room + "/messages", json("text", "m" + i));
            });
            Set<Long> seqs = new HashSet<>();
            for (Api.Res res : answers) {
                assertEquals(201, res.status(), res.toString());
                seqs.add(res.json().get("seq").asLong());
            }
            assertEquals(100, seqs.size(), "no number twice");
            List<Long> history = new ArrayList<>();
            for (long after = 0; history.size() < 100; after = history.get(history.size() - 1)) {
                JsonNode page = adaOnB.messages(room, "?after=" + after + "&limit=30").get("messages");
                if (page.isEmpty()) break;
                for (JsonNode m : page) history.add(m.get("seq").asLong());
            }
            List<Long> expected = new ArrayList<>();
            for (long s = 1; s <= 100; s++) expected.add(s);
            assertEquals(expected, history, "1 to 100, no gap, in order");
            assertEquals(100, ada.room(room).get("last_seq").asLong());
        });
    }

    @Test
    void aClientIdSentToBothNodesAtOnceMakesOneMessage() throws Exception {
        assumeTrue(Harness.POSTGRESQL, "several nodes share a PostgreSQL database");
        Harness.twoNodes(NO_SEND_LIMIT, (a, b, ctx) -> {
            Chat ada = Chat.signUp(a, "ada@example.com");
            Chat adaOnB = new Chat(b, ada.session());
            long room = ada.createRoom("retries", false);
            AtomicInteger n = new AtomicInteger();
            List<Api.Res> answers = Concurrent.atOnce(20, () -> (n.getAndIncrement() % 2 == 0 ? ada : adaOnB)
                    .post("/rooms/" + room + "/messages", json("text", "once", "client_id", "tap-1")));
            Set<Long> ids = new HashSet<>();
            int created = 0;
            for (Api.Res res : answers) {
                if (res.status() == 201) created++;
                else assertEquals(200, res.status(), res.toString());
                ids.add(res.json().get("id").asLong());
            }
            assertEquals(1, created, "one send made it");
            assertEquals(1, ids.size(), "every answer is that message");
            assertEquals(1, ada.messages(room, "").get("messages").size());
        });
    }

    @Test
    void oneRegistrationAndOneDirectRoomWhenBothNodesRace() throws Exception {
        assumeTrue(Harness.POSTGRESQL, "several nodes share a PostgreSQL database");
        Harness.twoNodes(Map.of(), (a, b, ctx) -> {
            AtomicInteger n = new AtomicInteger();
            List<Api.Res> registrations = Concurrent.atOnce(20, () -> (n.getAndIncrement() % 2 == 0 ? a : b)
                    .register("twin@example.com", Harness.PASSWORD));
            assertEquals(1, registrations.stream().filter(r -> r.status() == 201).count(), registrations.toString());
            for (Api.Res r : registrations) {
                if (r.status() != 201) assertEquals("email_taken", r.code(), r.toString());
            }

            Chat ada = Chat.signUp(a, "ada@example.com");
            Chat bob = new Chat(b, b.signUp("bob@example.com"));
            AtomicInteger m = new AtomicInteger();
            List<Api.Res> opened = Concurrent.atOnce(20, () -> m.getAndIncrement() % 2 == 0
                    ? ada.post("/rooms/direct", json("user_id", bob.userId()))
                    : bob.post("/rooms/direct", json("user_id", ada.userId())));
            Set<Long> rooms = new HashSet<>();
            for (Api.Res r : opened) {
                assertEquals(r.status() == 201 ? 201 : 200, r.status(), r.toString());
                rooms.add(r.json().get("id").asLong());
            }
            assertEquals(1, rooms.size(), "one direct room for the pair");
            assertEquals(1, opened.stream().filter(r -> r.status() == 201).count());
        });
    }
}
