package latchkey;

import latchkey.support.Api;
import latchkey.support.Harness;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the shortcuts of GET /users/me (remembered tokens, cached sessions, cheap request ids)
 * must not change: a token stops working the moment its session or user does.
 */
class HotPathTest {
    @Test
    void aTokenUsedManyTimesStopsAtOnceWhenItsSessionIsLoggedOut() {
        Harness.test((api, ctx) -> {
            Api.Session s = api.signUp("hot@example.com");
            for (int i = 0; i < 3; i++) assertEquals(200, api.get("/users/me", s.accessToken()).status());
            assertEquals(204, api.post("/auth/logout", Api.json("refresh_token", s.refreshToken())).status());
            var res = api.get("/users/me", s.accessToken());
            assertEquals(401, res.status(), res.body());
            assertEquals("invalid_token", res.code());
        });
    }

    @Test
    void aTokenUsedManyTimesStopsAtOnceWhenThePasswordChanges() {
        Harness.test((api, ctx) -> {
            Api.Session s = api.signUp("hot2@example.com");
            assertEquals(200, api.get("/users/me", s.accessToken()).status());
            var changed = api.post("/users/me/password",
                    Api.json("current_password", Harness.PASSWORD, "new_password", "another long password"), s.accessToken());
            assertEquals(204, changed.status(), changed.body());
            assertEquals(401, api.get("/users/me", s.accessToken()).status());
        });
    }

    @Test
    void aProfileChangeShowsInTheNextRequest() {
        Harness.test((api, ctx) -> {
            Api.Session s = api.signUp("hot3@example.com");
            assertEquals(200, api.get("/users/me", s.accessToken()).status());
            assertEquals(200, api.patch("/users/me", Api.json("name", "Renamed"), s.accessToken()).status());
            assertEquals("Renamed", api.get("/users/me", s.accessToken()).text("name"));
        });
    }

    @Test
    void everyResponseGetsItsOwnRequestIdUnlessTheClientSentOne() {
        Harness.test((api, ctx) -> {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                String id = api.get("/health").header("X-Request-Id");
                assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), id);
                ids.add(id);
            }
            assertEquals(20, ids.size());
            var echoed = api.raw("GET", "/health", Map.of("X-Request-Id", "client-id.42"), null);
            assertEquals("client-id.42", echoed.header("X-Request-Id"));
            var replaced = api.raw("GET", "/health", Map.of("X-Request-Id", "bad id with spaces"), null);
            assertNotEquals("bad id with spaces", replaced.header("X-Request-Id"));
        });
    }
}
