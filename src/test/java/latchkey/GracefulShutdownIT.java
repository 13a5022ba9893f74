package latchkey;

import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static latchkey.support.Api.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM stops the packaged server gracefully: requests in flight get their answers, new
 * connections are refused, the database is closed cleanly, and the exit code is 0.
 */
class GracefulShutdownIT {
    private static final int IN_FLIGHT = 6;
    private static final String SECRET = "graceful-secret-0123456789abcdef0123456789";

    @TempDir
    Path dir;

    @Test
    void sigtermFinishesRequestsInFlightRefusesNewOnesAndExitsZero() throws Exception {
        Map<String, String> env = JarProcess.env(dir);
        env.put("JWT_SECRET", SECRET);
        // One hashing thread at a high cost (about 0.8 s a login here): the logins queue up and take seconds,
        // long enough to be caught in flight, with time for all of them to reach the server before SIGTERM.
        env.put("BCRYPT_COST", "14");
        env.put("BCRYPT_THREADS", "1");
        try (JarProcess server = JarProcess.start(dir, env)) {
            Api api = server.api;
            assertEquals(201, api.register("slow@example.com", Harness.PASSWORD).status());

            HttpClient client = HttpClient.newHttpClient();
            HttpRequest login = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port + "/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json("email", "slow@example.com", "password", Harness.PASSWORD)))
                    .build();
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) inFlight.add(client.sendAsync(login, HttpResponse.BodyHandlers.ofString()));
            // A request that has not reached a handler when SIGTERM comes is not in flight: its connection is closed unanswered.
            Thread.sleep(600);
            assertTrue(inFlight.stream().noneMatch(CompletableFuture::isDone), "the logins must still be running when SIGTERM comes");

            server.process().destroy();
            Thread.sleep(300);
            assertTrue(server.process().isAlive(), "the server is still finishing the logins");
            // A new connection now is refused (or, on a connection already open, answered 503).
            HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            try {
                HttpResponse<String> late = fresh.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, late.statusCode(), "a request after SIGTERM: " + late.body());
            } catch (java.io.IOException refused) {
                // connection refused: the port is closed
            }
            assertTrue(server.process().isAlive(), "the refusal happened while the server was still stopping");

            for (CompletableFuture<HttpResponse<String>> f : inFlight) {
                HttpResponse<String> res = f.get(60, TimeUnit.SECONDS);
                assertEquals(200, res.statusCode(), res.body());
                assertTrue(res.body().contains("access_token"), res.body());
            }
            assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "the server stops");
            assertEquals(0, server.process().exitValue(), "exit code after SIGTERM; log:\n" + server.output());

            String output = server.output();
            assertTrue(output.contains("stopped cleanly: requests finished, database closed"), output);
            assertEquals(IN_FLIGHT, count(output, "POST /auth/login 200"), output);
            assertFalse(output.contains(SECRET), "the JWT secret is in the log");
            // SQLite removes the write-ahead log when the last connection closes cleanly.
            assertFalse(Files.exists(dir.resolve("latchkey.db-wal")), "latchkey.db-wal is left: the database was not closed");
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
        return n;
    }
}
