package latchkey.sessions;

import latchkey.support.Api;
import latchkey.support.Chat;
import latchkey.support.Harness;
import latchkey.support.Postgres;
import latchkey.support.Ws;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.function.BiConsumer;

import static latchkey.support.Api.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two nodes on one PostgreSQL database: whatever ends a session or disables a user on node A is
 * refused on node B within a second, although B had the session in its access cache, and B
 * closes the session's socket; also when B's listening connection was cut off at the time.
 */
class TwoNodesAccessTest {
    private static final long ONE_SECOND_NANOS = 1_000_000_000L;

    @Test
    void everyWayASessionEndsOnOneNodeIsRefusedOnTheOtherWithinASecond() {
        assumeTrue(Harness.POSTGRESQL, "several nodes share a PostgreSQL database");
        Map<String, BiConsumer<Api, Api.Session>> endings = Map.of(
                "logout", (a, s) -> assertEquals(204, a.post("/auth/logout", json("refresh_token", s.refreshToken())).status()),
                "logout-all", (a, s) -> assertEquals(204, a.post("/auth/logout-all", "{}", s.accessToken()).status()),
                "password change", (a, s) -> assertEquals(204, a.post("/users/me/password",
                        json("current_password", Harness.PASSWORD, "new_password", "another horse battery staple"), s.accessToken()).status()),
                "account deleted", (a, s) -> assertEquals(204, a.delete("/users/me", json("password", Harness.PASSWORD), s.accessToken()).status()),
                "ended from another device", (a, s) -> {
                    Api.Session other = Api.Session.of(a.login(a.get("/users/me", s.accessToken()).text("email"), Harness.PASSWORD));
                    assertEquals(204, a.delete("/users/me/sessions/" + currentSessionId(a, s), "{}", other.accessToken()).status());
                });
        Harness.twoNodes(Map.of(), (a, b, ctx) -> {
            int n = 0;
            for (var ending : endings.entrySet()) {
                Api.Session s = a.signUp("user" + (n++) + "@example.com");
                assertEquals(200, b.get("/users/me", s.accessToken()).status(), "node B has the session in its cache");
                try (Ws socket = Ws.open(b, s.accessToken())) {
                    ending.getValue().accept(a, s);
                    long millis = awaitRefused(b, s.accessToken(), ending.getKey());
                    assertTrue(millis < 1_000, ending.getKey() + ": refused on B after " + millis + " ms");
                    socket.assertClosedWith(4401);
                }
            }
            Chat admin = Chat.signUpSiteAdmin(a, ctx, "admin@example.com");
            Api.Session user = a.signUp("disabled@example.com");
            assertEquals(200, b.get("/users/me", user.accessToken()).status());
            assertEquals(200, admin.patch("/admin/users/" + user.userId(), "{\"disabled\":true}").status());
            long millis = awaitRefused(b, user.accessToken(), "disabled");
            assertTrue(millis < 1_000, "disabled: refused on B after " + millis + " ms");
        });
    }

    @Test
    void aSessionEndedWhileTheOtherNodeWasNotListeningIsRefusedThereOnceItListensAgain() {
        assumeTrue(Harness.POSTGRESQL, "several nodes share a PostgreSQL database");
        Harness.twoNodes(Map.of(), (a, b, ctx) -> {
            Api.Session s = a.signUp("ada@example.com");
            assertEquals(200, b.get("/users/me", s.accessToken()).status(), "node B has the session in its cache");
            assertEquals(2, terminateListeners(ctx.db().url()), "both nodes' listening connections");
            // Sent while nobody listens: this notification is lost, B has to find the change in the database.
            assertEquals(204, a.post("/auth/logout", json("refresh_token", s.refreshToken())).status());
            long millis = awaitRefused(b, s.accessToken(), "logout while cut off");
            assertTrue(millis < 5_000, "refused on B after " + millis + " ms");
        });
    }

    private static long currentSessionId(Api a, Api.Session s) {
        for (var session : a.get("/users/me/sessions", s.accessToken()).json().get("sessions")) {
            if (session.get("current").asBoolean()) return session.get("id").asLong();
        }
        throw new AssertionError("no current session");
    }

    /** Milliseconds until {@code token} gets 401 on {@code node} (fails after 10 s); only 200s before that. */
    private static long awaitRefused(Api node, String token, String what) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < 10 * ONE_SECOND_NANOS) {
            Api.Res res = node.get("/users/me", token);
            if (res.status() == 401) return (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, res.status(), what + ": " + res);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(what + ": still accepted on node B after 10 s");
    }

    private static int terminateListeners(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url, Postgres.USER, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                     WHERE datname = current_database() AND application_name = 'latchkey-listen'""")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
