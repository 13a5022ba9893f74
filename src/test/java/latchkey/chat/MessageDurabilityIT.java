package latchkey.chat;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.support.Api;
import latchkey.support.Chat;
import latchkey.support.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import static latchkey.support.Api.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commit answers a send only after its transaction is on disk: the packaged server is killed
 * with SIGKILL while 16 senders post into one room, and after a restart every acknowledged
 * message is there, with the seq it was acknowledged with, and the room's history has no gap.
 */
class MessageDurabilityIT {
    private static final int SENDERS = 16;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageSurvivesAKillWithItsSeqAndNoGap() throws Exception {
        Map<String, String> env = JarProcess.env(dir);
        env.put("JWT_SECRET", "durability-secret-0123456789abcdef0123456789");
        env.put("RATELIMIT_ENABLED", "false");
        Map<Long, Long> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean killed = new AtomicBoolean();
        long roomId;
        try (JarProcess first = JarProcess.start(dir, env)) {
            List<Chat> senders = new ArrayList<>();
            for (int i = 0; i < SENDERS; i++) senders.add(Chat.signUp(first.api, "sender" + i + "@example.com"));
            roomId = senders.get(0).createRoom("Busy", false, senders.subList(1, SENDERS).toArray(new Chat[0]));
            ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
            List<Future<?>> running = new ArrayList<>();
            for (Chat sender : senders) {
                running.add(pool.submit(() -> {
                    for (int i = 0; ; i++) {
                        try {
                            Api.Res res = sender.post("/rooms/" + roomId + "/messages", json("text", sender.userId() + "-" + i));
                            if (res.status() != 201) {
                                if (killed.get()) return null;
                                throw new AssertionError("send before the kill: " + res);
                            }
                            acknowledged.put(res.json().get("id").asLong(), res.json().get("seq").asLong());
                        } catch (AssertionError connectionFailed) {
                            if (!killed.get()) throw connectionFailed;
                            return null;
                        }
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acknowledged.size() < 500 && System.nanoTime() < deadline) Thread.sleep(5);
            killed.set(true);
            first.process().destroyForcibly();
            assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
            for (Future<?> f : running) f.get(60, TimeUnit.SECONDS);
            pool.shutdownNow();
        }
        assertTrue(acknowledged.size() >= 500, "sends before the kill: " + acknowledged.size());

        Map<String, String> restart = new HashMap<>(env);
        restart.put("SERVER_PORT", Integer.toString(JarProcess.freePort()));
        try (JarProcess second = JarProcess.start(dir, restart)) {
            Chat again = new Chat(second.api, Api.Session.of(second.api.login("sender0@example.com", latchkey.support.Harness.PASSWORD)));
            long lastSeq = again.room(roomId).get("last_seq").asLong();
            Map<Long, Long> stored = new HashMap<>();
            List<Long> seqs = new ArrayList<>();
            for (long after = 0; after < lastSeq; ) {
                JsonNode page = again.messages(roomId, "?limit=200&after=" + after);
                for (JsonNode m : page.get("messages")) {
                    stored.put(m.get("id").asLong(), m.get("seq").asLong());
                    seqs.add(m.get("seq").asLong());
                    after = m.get("seq").asLong();
                }
                if (!page.get("has_more").asBoolean()) break;
            }
            assertEquals(LongStream.rangeClosed(1, lastSeq).boxed().toList(), seqs, "the history is 1..last_seq without a gap");
            Set<Long> lost = new HashSet<>();
            acknowledged.forEach((id, seq) -> {
                if (!seq.equals(stored.get(id))) lost.add(id);
            });
            assertEquals(Set.of(), lost, "acknowledged messages missing or renumbered after the restart");
            assertEquals(201, again.post("/rooms/" + roomId + "/messages", json("text", "after the restart")).status());
            assertEquals(lastSeq + 1, again.room(roomId).get("last_seq").asLong());
        }
    }
}
