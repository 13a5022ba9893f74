package latchkey.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.support.Chat;
import latchkey.support.Harness;
import latchkey.support.Ws;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static latchkey.support.Api.json;
import static latchkey.support.Chat.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nothing missed, nothing twice: resume with since, resync, concurrent senders, slow readers. */
class RealtimeResumeTest {
    @Test
    void resumeReplaysWhatWasMissedThenGoesLiveWithoutGapOrDuplicate() throws Exception {
        Harness.test(Map.of("ratelimit.enabled", "false"), (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            long room = ada.createRoom("general", false, bob);
            JsonNode old = bob.send(room, "seen before the drop");
            long seen = old.get("seq").asLong();
            // While ada is away: new messages, an edit of one she saw, a delete of one she did not.
            List<Long> missed = new ArrayList<>();
            for (int i = 0; i < 5; i++) missed.add(bob.send(room, "missed " + i).get("id").asLong());
            expect(200, bob.patch("/rooms/" + room + "/messages/" + old.get("id").asLong(), json("text", "edited while away")));
            expect(204, bob.delete("/rooms/" + room + "/messages/" + missed.get(0)));

            ExecutorService senders = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> posting = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    posting.add(senders.submit(() -> {
                        for (int i = 0; i < 25; i++) bob.send(room, "during the reconnect " + thread + "/" + i);
                    }));
                }
                try (Ws ws = Ws.connect(api)) {
                    ws.auth(ada.token(), Map.of(room, seen));
                    ws.next("ready");
                    for (Future<?> f : posting) f.get();
                    long last = ada.room(room).get("last_seq").asLong();
                    List<JsonNode> changes = new ArrayList<>();
                    while (changes.isEmpty() || changes.get(changes.size() - 1).get("seq").asLong() < last) {
                        changes.add(ws.next(f -> f.path("type").asText().startsWith("message."), "the changes up to seq " + last));
                    }
                    assertTrue(ws.drain(Duration.ofMillis(300)).isEmpty(), "nothing after the last change");
                    List<Long> seqs = changes.stream().map(c -> c.get("seq").asLong()).toList();
                    for (int i = 1; i < seqs.size(); i++) assertTrue(seqs.get(i) > seqs.get(i - 1), "strictly increasing: " + seqs);
                    List<Long> messageIds = changes.stream().map(c -> c.at("/message/id").asLong()).toList();
                    assertEquals(messageIds.size(), messageIds.stream().distinct().count(), "each message once: " + seqs);
                    assertEquals("message.updated", typeOf(changes, old.get("id").asLong()), "the edit of a message seen before");
                    assertEquals("edited while away", changes.stream().filter(c -> c.at("/message/id").asLong() == old.get("id").asLong())
                            .findFirst().orElseThrow().at("/message/text").asText());
                    assertEquals("message.deleted", typeOf(changes, missed.get(0)), "a missed message deleted meanwhile comes as its tombstone");
                    assertEquals(4 + 100 + 1 + 1, changes.size(), "4 new, 1 tombstone, 100 during the reconnect, 1 edit");
                }
            } finally {
                senders.shutdownNow();
            }
        });
    }

    @Test
    void tooMuchMissedAsksForAResync() {
        Harness.test(Map.of("realtime.replay-limit", "5", "ratelimit.enabled", "false"), (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            long room = ada.createRoom("busy", false);
            long quiet = ada.createRoom("quiet", false);
            for (int i = 0; i < 6; i++) ada.send(room, "m" + i);
            ada.send(quiet, "only one");
            try (Ws ws = Ws.connect(api)) {
                Map<Long, Long> since = new java.util.LinkedHashMap<>();
                since.put(room, 0L);
                since.put(quiet, 0L);
                ws.auth(ada.token(), since);
                ws.next("ready");
                assertEquals(room, ws.next("resync").get("room_id").asLong());
                assertEquals("only one", ws.next("message.created").at("/message/text").asText(), "the other room replays as usual");
                ada.send(room, "live again");
                assertEquals("live again", ws.next("message.created").at("/message/text").asText());
            }
        });
    }

    @Test
    void aHundredConcurrentPostsReachEverySocketInStrictlyIncreasingSeq() throws Exception {
        Harness.test(Map.of("ratelimit.enabled", "false"), (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            Chat cy = Chat.signUp(api, "cy@example.com");
            long room = ada.createRoom("busy", false, bob, cy);
            List<Ws> sockets = List.of(Ws.open(api, ada.token()), Ws.open(api, ada.token()), Ws.open(api, bob.token()), Ws.open(api, cy.token()));
            ExecutorService senders = Executors.newFixedThreadPool(10);
            try {
                List<Future<?>> posts = new ArrayList<>();
                List<Chat> who = List.of(ada, bob, cy);
                for (int i = 0; i < 100; i++) {
                    Chat sender = who.get(i % 3);
                    int n = i;
                    posts.add(senders.submit(() -> sender.send(room, "post " + n)));
                }
                for (Future<?> post : posts) post.get();
                for (Ws ws : sockets) {
                    long previous = 0;
                    for (int i = 0; i < 100; i++) {
                        long seq = ws.next("message.created").get("seq").asLong();
                        assertTrue(seq > previous, "seq " + seq + " after " + previous);
                        previous = seq;
                    }
                    assertEquals(100, previous, "gap-free: the room's numbers 1..100");
                }
            } finally {
                senders.shutdownNow();
                sockets.forEach(Ws::close);
            }
        });
    }

    @Test
    void aSlowReaderIsClosedWith4429WhileTheOthersKeepReceiving() throws Exception {
        Harness.test(Map.of("realtime.send-queue", "16", "ratelimit.enabled", "false", "chat.max-message-chars", "60000"), (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            long room = ada.createRoom("firehose", false, bob);
            try (Ws fast = Ws.open(api, ada.token()); Socket slow = new Socket()) {
                slow.setReceiveBufferSize(4096);
                slow.connect(new java.net.InetSocketAddress("localhost", Integer.parseInt(api.base().replaceAll(".*:", ""))));
                OutputStream out = slow.getOutputStream();
                InputStream in = slow.getInputStream();
                handshake(out, in);
                writeText(out, json("type", "auth", "token", bob.token()));
                // 18 MB: more than the kernel buffers on both ends hold for a reader that reads nothing.
                String text = "y".repeat(60_000);
                int sent = 300;
                for (int i = 0; i < sent; i++) ada.send(room, text);
                int received = framesBeforeClose(in, slow, 4429);
                assertTrue(received < sent, "closed after " + received + " of " + sent + " messages");
                for (int i = 0; i < sent; i++) fast.next("message.created");
            }
        });
    }

    private static String typeOf(List<JsonNode> changes, long messageId) {
        return changes.stream().filter(c -> c.at("/message/id").asLong() == messageId).findFirst().orElseThrow().get("type").asText();
    }

    /** Reads the slow socket at last: the message frames it got before a close frame with {@code code}. */
    private static int framesBeforeClose(InputStream in, Socket socket, int code) throws Exception {
        socket.setSoTimeout(10_000);
        int messages = 0;
        while (true) {
            int b0;
            try {
                b0 = in.read();
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("no close frame after " + messages + " messages", e);
            }
            if (b0 < 0) throw new AssertionError("the connection ended without a close frame after " + messages);
            int b1 = in.read();
            long length = b1 & 0x7f;
            if (length == 126) length = (in.read() << 8) | in.read();
            else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) length = (length << 8) | in.read();
            }
            byte[] payload = in.readNBytes((int) length);
            if ((b0 & 0x0f) == 0x8) {
                assertEquals(code, ((payload[0] & 0xff) << 8) | (payload[1] & 0xff), "close code");
                return messages;
            }
            if (new String(payload, StandardCharsets.UTF_8).contains("message.created")) messages++;
        }
    }

    private static void handshake(OutputStream out, InputStream in) throws Exception {
        String key = Base64.getEncoder().encodeToString("latchkey-slowread".getBytes(StandardCharsets.US_ASCII));
        out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.read());
        assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
    }

    private static void writeText(OutputStream out, String text) throws Exception {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        out.write(0x81);
        if (payload.length < 126) out.write(0x80 | payload.length);
        else {
            out.write(0x80 | 126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xff);
        }
        out.write(mask);
        for (int i = 0; i < payload.length; i++) out.write(payload[i] ^ mask[i % 4]);
        out.flush();
    }
}
