package latchkey.uploads;

import latchkey.support.Api;
import latchkey.support.Chat;
import latchkey.support.Harness;
import latchkey.support.JarProcess;
import latchkey.support.Multipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server is killed with SIGKILL while uploads are in flight (four uploading in a
 * loop, one stuck halfway through its body). After a restart every acknowledged upload is there
 * with its bytes, and no row names a file that is missing or not whole.
 */
class UploadDurabilityIT {
    private static final int UPLOADERS = 4;

    @TempDir
    Path dir;

    @Test
    void aKillDuringUploadsLeavesNoRowPointingAtAHalfFile() throws Exception {
        Map<String, String> env = JarProcess.env(dir);
        env.put("JWT_SECRET", "durability-secret-0123456789abcdef0123456789");
        env.put("UPLOADS_DIR", dir.resolve("uploads").toString());
        Map<Long, byte[]> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean killed = new AtomicBoolean();
        try (JarProcess first = JarProcess.start(dir, env)) {
            Chat ann = Chat.signUp(first.api, "ann@example.com");
            // Half a body, then nothing: this upload is mid-write when the kill comes.
            byte[] big = filler(4_000_000, 'h');
            byte[] body = Multipart.of("half.txt", "text/plain", big);
            Socket stuck = new Socket("localhost", first.port);
            OutputStream out = stuck.getOutputStream();
            out.write(("POST /uploads HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ann.token() + "\r\nContent-Type: "
                    + Multipart.CONTENT_TYPE + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, 0, body.length / 2);
            out.flush();

            ExecutorService pool = Executors.newFixedThreadPool(UPLOADERS);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < UPLOADERS; t++) {
                int thread = t;
                running.add(pool.submit(() -> {
                    for (int i = 0; ; i++) {
                        byte[] file = filler(300_000 + i, (char) ('a' + thread));
                        try {
                            Api.Res res = first.api.raw("POST", "/uploads", Multipart.headers(ann.token()), Multipart.of("f.txt", "text/plain", file));
                            if (res.status() != 201) {
                                if (killed.get()) return null;
                                throw new AssertionError("upload before the kill: " + res);
                            }
                            acknowledged.put(res.json().get("id").asLong(), file);
                        } catch (AssertionError connectionFailed) {
                            if (!killed.get()) throw connectionFailed;
                            return null;
                        }
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acknowledged.size() < 40 && System.nanoTime() < deadline) Thread.sleep(5);
            killed.set(true);
            first.process().destroyForcibly();
            assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
            for (Future<?> f : running) f.get(60, TimeUnit.SECONDS);
            pool.shutdownNow();
            stuck.close();
        }
        assertTrue(acknowledged.size() >= 40, "uploads before the kill: " + acknowledged.size());

        // Every row names whole files: the file exists, has the row's size and the row's digest.
        int rows = 0;
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("latchkey.db"));
             ResultSet rs = db.createStatement().executeQuery("SELECT id, file_key, size, digest FROM uploads")) {
            while (rs.next()) {
                rows++;
                Path file = dir.resolve("uploads").resolve(rs.getString("file_key"));
                assertTrue(Files.exists(file), "upload " + rs.getLong("id") + " names a missing file");
                byte[] bytes = Files.readAllBytes(file);
                assertEquals(rs.getLong("size"), bytes.length, "upload " + rs.getLong("id") + " names a half file");
                String digest = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
                assertEquals(rs.getString("digest"), digest, "upload " + rs.getLong("id") + " names a damaged file");
            }
        }
        assertTrue(rows >= acknowledged.size(), "rows " + rows + " < acknowledged " + acknowledged.size());

        Map<String, String> restart = new HashMap<>(env);
        restart.put("SERVER_PORT", Integer.toString(JarProcess.freePort()));
        try (JarProcess second = JarProcess.start(dir, restart)) {
            Chat ann = new Chat(second.api, Api.Session.of(second.api.login("ann@example.com", Harness.PASSWORD)));
            for (Map.Entry<Long, byte[]> upload : acknowledged.entrySet()) {
                Api.Download got = second.api.download("/uploads/" + upload.getKey(), Map.of("Authorization", "Bearer " + ann.token()));
                assertEquals(200, got.status(), "acknowledged upload " + upload.getKey() + " after the restart");
                assertArrayEquals(upload.getValue(), got.body(), "upload " + upload.getKey() + " came back changed");
            }
            assertEquals(201, second.api.raw("POST", "/uploads", Multipart.headers(ann.token()),
                    Multipart.of("after.txt", "text/plain", filler(1000, 'z'))).status());
        }
    }

    private static byte[] filler(int size, char c) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) c);
        bytes[size - 1] = '\n';
        return bytes;
    }
}
