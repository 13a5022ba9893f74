package latchkey;

import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing acknowledged is lost: the packaged server is killed with SIGKILL in the middle of
 * concurrent registrations, restarted on the same database, and every registration that got a
 * 201 can log in; the database passes SQLite's integrity check.
 */
class DurabilityIT {
    private static final int WRITERS = 8;

    @TempDir
    Path dir;

    private static final String SECRET = "durability-secret-0123456789abcdef0123456789";

    @Test
    void everyAcknowledgedRegistrationSurvivesAKill() throws Exception {
        Map<String, String> env = JarProcess.env(dir);
        env.put("JWT_SECRET", SECRET);
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> accessTokens = new ConcurrentLinkedQueue<>();
        AtomicInteger failedAfterKill = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();

        try (JarProcess first = JarProcess.start(dir, env)) {
            Api api = first.api;
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                running.add(writers.submit(() -> {
                    for (int i = 0; ; i++) {
                        String email = "w" + writer + "-" + i + "@example.com";
                        try {
                            Api.Res res = api.register(email, Harness.PASSWORD);
                            if (res.status() == 201) {
                                acknowledged.add(email);
                                if (i == 0) accessTokens.add(Api.Session.of(res).accessToken());
                            } else if (!killed.get()) {
                                throw new AssertionError("register " + email + " before the kill: " + res);
                            }
                        } catch (AssertionError connectionFailed) {
                            if (!killed.get()) throw connectionFailed;
                            failedAfterKill.incrementAndGet();
                            return null;
                        }
                    }
                }));
            }
            // Kill in the middle of the load, once a good number of writes went through.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acknowledged.size() < 300 && System.nanoTime() < deadline) Thread.sleep(10);
            killed.set(true);
            first.process().destroyForcibly();
            assertTrue(first.process().waitFor(30, TimeUnit.SECONDS), "SIGKILL ends the server");
            assertNotEquals(0, first.process().exitValue(), "SIGKILL is not a clean exit");
            for (Future<?> f : running) f.get(60, TimeUnit.SECONDS);
            writers.shutdownNow();
        }
        assertTrue(acknowledged.size() >= 300, "registrations before the kill: " + acknowledged.size());
        assertTrue(failedAfterKill.get() > 0, "the writers were still writing when the kill came");

        Map<String, String> restart = new HashMap<>(env);
        restart.put("SERVER_PORT", Integer.toString(JarProcess.freePort()));
        try (JarProcess second = JarProcess.start(dir, restart)) {
            Api api = second.api;
            ExecutorService logins = Executors.newFixedThreadPool(WRITERS);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (String email : acknowledged) {
                    results.add(logins.submit(() -> {
                        Api.Res res = api.login(email, Harness.PASSWORD);
                        return res.status() == 200 ? null : email + " -> " + res;
                    }));
                }
                List<String> lost = new ArrayList<>();
                for (Future<String> f : results) {
                    String failure = f.get(120, TimeUnit.SECONDS);
                    if (failure != null) lost.add(failure);
                }
                assertEquals(List.of(), lost, "acknowledged registrations that can not log in after the restart");
            } finally {
                logins.shutdownNow();
            }
            // Access tokens issued before the crash still work: the secret and the sessions were kept.
            for (String token : accessTokens) assertEquals(200, api.get("/users/me", token).status());
            assertEquals(0, second.stop(), "a SIGTERM after the restart exits 0");
            assertFalse(second.output().contains(SECRET), "the JWT secret is in the log");
        }

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("latchkey.db")); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                assertTrue(rs.next());
                assertEquals("ok", rs.getString(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM users")) {
                assertTrue(rs.next());
                assertTrue(rs.getInt(1) >= acknowledged.size(), rs.getInt(1) + " users, " + acknowledged.size() + " acknowledged");
            }
        }
    }
}
