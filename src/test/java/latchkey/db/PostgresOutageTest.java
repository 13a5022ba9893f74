package latchkey.db;

import latchkey.support.Api;
import latchkey.support.Chat;
import latchkey.support.Harness;
import latchkey.support.Postgres;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * PostgreSQL restarted under a running server: while it is down, requests that need it get 503
 * {@code unavailable} (never a 500), and once it is back the same process serves reads and
 * writes again, on new connections, without a restart.
 */
class PostgresOutageTest {
    @Test
    void aRestartOfPostgresqlIs503WhileDownAndHealsWithoutARestart() {
        assumeTrue(Harness.POSTGRESQL, "an outage of the PostgreSQL server");
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            long room = ada.createRoom("ops", false);
            ada.send(room, "before");
            Postgres.server().stopServer();
            try {
                assertEquals(503, api.get("/health").status());
                for (int i = 0; i < 3; i++) {
                    Api.Res login = api.login("ada@example.com", Harness.PASSWORD);
                    assertEquals(503, login.status(), login.toString());
                    assertEquals("unavailable", login.text("code"));
                    Api.Res send = ada.post("/rooms/" + room + "/messages", "{\"text\":\"while down\"}");
                    assertEquals(503, send.status(), send.toString());
                    Api.Res history = ada.get("/rooms/" + room + "/messages");
                    assertEquals(503, history.status(), history.toString());
                }
            } finally {
                Postgres.server().startServer();
            }
            // Each kind of connection (the writer, every reader) was lost; each heals on its next use.
            for (int i = 0; i < 10; i++) {
                assertEquals(200, eventually(() -> api.get("/health")).status());
                assertEquals(200, eventually(() -> ada.get("/rooms/" + room + "/messages")).status());
            }
            assertEquals(200, eventually(() -> api.login("ada@example.com", Harness.PASSWORD)).status());
            Api.Res after = eventually(() -> ada.post("/rooms/" + room + "/messages", "{\"text\":\"after\"}"));
            assertEquals(201, after.status(), after.toString());
            assertEquals(2, ada.messages(room, "").get("messages").size(), "the messages before and after, and none of the refused ones");
        });
    }

    /** The first answer that is not 503, within a few tries: never a 500 on the way. */
    private static Api.Res eventually(Supplier<Api.Res> call) {
        for (int i = 0; i < 20; i++) {
            Api.Res res = call.get();
            assertTrue(res.status() < 500 || res.status() == 503, res.toString());
            if (res.status() != 503) return res;
        }
        return fail("still 503 after 20 tries");
    }
}
