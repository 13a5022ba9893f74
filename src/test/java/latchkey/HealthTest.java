package latchkey;

import latchkey.support.Harness;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HealthTest {
    @Test
    void healthAnswersOkWhenTheDatabaseAnswers() {
        Harness.test((api, ctx) -> {
            var res = api.get("/health");
            assertEquals(200, res.status());
            assertEquals("ok", res.text("status"));
        });
    }

    @Test
    void healthIs503WhenTheDatabaseIsClosed() {
        Harness.test((api, ctx) -> {
            ctx.db().close();
            var res = api.get("/health");
            assertEquals(503, res.status(), res.body());
            assertEquals("application/problem+json", res.header("Content-Type"));
        });
    }

    @Test
    void anUnexpectedFailureIsABare500WithoutInternals() {
        Harness.test((api, ctx) -> {
            if (Harness.POSTGRESQL) {
                // A closed connection is PostgreSQL's "connection lost", 503 by design (PostgresOutageTest); a missing table is not.
                api.signUp("a@example.com");
                ctx.db().writer().useHandle(h -> h.execute("DROP TABLE refresh_tokens"));
            } else {
                ctx.db().close();
            }
            var res = api.post("/auth/login", latchkey.support.Api.json("email", "a@example.com", "password", Harness.PASSWORD));
            assertEquals(500, res.status(), res.body());
            assertEquals("internal_error", res.code());
            assertEquals("application/problem+json", res.header("Content-Type"));
            for (String leak : new String[]{"Exception", "SQL", "at latchkey", "jdbc"}) {
                org.junit.jupiter.api.Assertions.assertFalse(res.body().contains(leak), leak + " in " + res.body());
            }
        });
    }
}
