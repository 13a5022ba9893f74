package latchkey.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.support.Chat;
import latchkey.support.JarProcess;
import latchkey.support.Ws;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The packaged server: a resume after a kill -9 and a restart, and a SIGTERM that closes sockets with 1001. */
class RealtimeIT {
    @TempDir
    Path dir;

    @Test
    void aResumeAfterAKillAndARestartReplaysFromTheDatabase() throws Exception {
        Map<String, String> env = JarProcess.env(dir);
        env.put("JWT_SECRET", "realtime-it-secret-0123456789abcdef0123456789");
        Chat ada;
        long room;
        long seen;
        List<String> missed = new ArrayList<>();
        try (JarProcess first = JarProcess.start(dir, env)) {
            ada = Chat.signUp(first.api, "ada@example.com");
            Chat bob = Chat.signUp(first.api, "bob@example.com");
            room = ada.createRoom("general", false, bob);
            try (Ws ws = Ws.open(first.api, ada.token())) {
                bob.send(room, "seen");
                seen = ws.next("message.created").get("seq").asLong();
            }
            for (int i = 0; i < 5; i++) missed.add(bob.send(room, "missed " + i).at("/text").asText());
            first.process().destroyForcibly().waitFor();
        }
        try (JarProcess second = JarProcess.start(dir, env); Ws ws = Ws.connect(second.api)) {
            ws.auth(ada.token(), Map.of(room, seen));
            ws.next("ready");
            List<String> replayed = new ArrayList<>();
            for (int i = 0; i < missed.size(); i++) {
                JsonNode created = ws.next("message.created");
                assertEquals(seen + 1 + i, created.get("seq").asLong());
                replayed.add(created.at("/message/text").asText());
            }
            assertEquals(missed, replayed);
        }
    }

    @Test
    void aStoppingServerDeliversWhatItCommittedThenClosesWith1001() throws Exception {
        try (JarProcess server = JarProcess.start(dir, JarProcess.env(dir)); Ws ws = Ws.connect(server.api)) {
            Chat ada = Chat.signUp(server.api, "ada@example.com");
            long room = ada.createRoom("general", false);
            ws.auth(ada.token());
            ws.next("ready");
            ada.send(room, "last words");
            server.process().destroy();
            assertEquals("last words", ws.next("message.created").at("/message/text").asText());
            ws.assertClosedWith(1001);
            assertEquals(0, server.process().waitFor(), "a clean stop:\n" + server.output());
        }
    }
}
