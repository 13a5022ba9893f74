package latchkey;

import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.RawHttp;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static latchkey.support.Api.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** nosniff everywhere, no-store where tokens, personal data and conversations travel, a request id on every answer. */
class SecurityHeadersTest {
    private static final String SANE_ID = "[A-Za-z0-9._:-]{1,64}";

    @Test
    void everyResponseSaysNosniffAndCarriesARequestId() {
        Harness.test((api, ctx) -> {
            Api.Session s = api.signUp("headers@example.com");
            Map<String, Api.Res> responses = new LinkedHashMap<>();
            responses.put("health", api.get("/health"));
            responses.put("unknown route", api.get("/nope"));
            responses.put("wrong method", api.send("PUT", "/health", null, null));
            responses.put("no token", api.get("/users/me"));
            responses.put("me", api.get("/users/me", s.accessToken()));
            responses.put("profile", api.get("/users/" + s.userId(), s.accessToken()));
            responses.put("search", api.get("/users?q=h", s.accessToken()));
            responses.put("malformed", api.post("/auth/login", "{"));
            responses.put("media type", api.raw("POST", "/auth/login", Map.of("Content-Type", "text/plain"), "x".getBytes(StandardCharsets.UTF_8)));
            responses.put("admin", api.get("/admin/users", s.accessToken()));
            responses.put("preflight", api.raw("OPTIONS", "/auth/login",
                    Map.of("Origin", "http://localhost:4200", "Access-Control-Request-Method", "POST"), null));
            responses.forEach((what, res) -> {
                assertEquals("nosniff", res.header("X-Content-Type-Options"), what + ": " + res);
                assertNotNull(res.header("X-Request-Id"), what);
                assertTrue(res.header("X-Request-Id").matches(SANE_ID), what + ": " + res.header("X-Request-Id"));
            });

            RawHttp raw = RawHttp.of(api);
            for (RawHttp.Res res : List.of(raw.request("GET", "/x/%00", Map.of(), null),
                    raw.request("GET", "/health", Map.of("X-Big", "a".repeat(20_000)), null))) {
                assertEquals("nosniff", res.header("X-Content-Type-Options"), res.toString());
            }
        });
    }

    @Test
    void authOwnAccountAndAdminResponsesAreNeverStored() {
        Harness.test((api, ctx) -> {
            Api.Res registered = api.register("nostore@example.com", Harness.PASSWORD);
            Api.Session s = Api.Session.of(registered);
            Map<String, Api.Res> responses = new LinkedHashMap<>();
            responses.put("register", registered);
            responses.put("register taken", api.register("nostore@example.com", Harness.PASSWORD));
            responses.put("login", api.login("nostore@example.com", Harness.PASSWORD));
            responses.put("login failed", api.login("nostore@example.com", "wrong password"));
            responses.put("login malformed", api.post("/auth/login", "{"));
            Api.Res refreshed = api.post("/auth/refresh", json("refresh_token", s.refreshToken()));
            responses.put("refresh", refreshed);
            responses.put("refresh unknown", api.post("/auth/refresh", json("refresh_token", "nope")));
            responses.put("me", api.get("/users/me", s.accessToken()));
            responses.put("me without token", api.get("/users/me"));
            responses.put("patch me", api.patch("/users/me", json("name", "N"), s.accessToken()));
            responses.put("sessions", api.get("/users/me/sessions", s.accessToken()));
            Api.Res room = api.post("/rooms", json("name", "Private talk", "private", true), refreshed.text("access_token"));
            responses.put("create room", room);
            responses.put("my rooms", api.get("/rooms", refreshed.text("access_token")));
            responses.put("messages", api.get("/rooms/" + room.json().get("id").asLong() + "/messages", refreshed.text("access_token")));
            responses.put("send", api.post("/rooms/" + room.json().get("id").asLong() + "/messages", json("text", "secret"), refreshed.text("access_token")));
            responses.put("password", api.post("/users/me/password", json("current_password", "wrong", "new_password", "another long password"), s.accessToken()));
            responses.put("logout", api.post("/auth/logout", json("refresh_token", refreshed.text("refresh_token"))));
            responses.put("admin without the role", api.get("/admin/users", s.accessToken()));
            api.signUp("boss@example.com");
            ctx.db().writer().useHandle(h -> h.execute("UPDATE users SET role = 'admin' WHERE email = 'boss@example.com'"));
            String admin = api.login("boss@example.com", Harness.PASSWORD).text("access_token");
            Api.Res users = api.get("/admin/users", admin);
            assertEquals(200, users.status(), users.body());
            responses.put("admin list", users);
            responses.put("logout-all", api.post("/auth/logout-all", null, s.accessToken()));
            responses.forEach((what, res) ->
                    assertTrue(String.valueOf(res.header("Cache-Control")).contains("no-store"), what + ": " + res.headers()));
        });
    }

    @Test
    void aSaneRequestIdIsEchoedAndAnyOtherReplaced() {
        Harness.test((api, ctx) -> {
            for (String sane : List.of("abc-123", "req_1.2:3", "a".repeat(64), "7c9e6679-7425-40de-944b-e07fc1f90ae7")) {
                assertEquals(sane, api.raw("GET", "/health", Map.of("X-Request-Id", sane), null).header("X-Request-Id"));
                assertEquals(sane, api.raw("GET", "/nope", Map.of("X-Request-Id", sane), null).header("X-Request-Id"), "on errors too");
            }
            for (String odd : List.of("a".repeat(65), "has space", "<script>alert(1)</script>", "a/b", "ümlaut", "x;y", "a,b", "'; DROP TABLE users; --")) {
                String answered = api.raw("GET", "/health", Map.of("X-Request-Id", odd), null).header("X-Request-Id");
                assertNotNull(answered, odd);
                assertNotEquals(odd, answered);
                assertTrue(answered.matches(SANE_ID), answered);
            }
            String a = api.get("/health").header("X-Request-Id");
            String b = api.get("/health").header("X-Request-Id");
            assertNotEquals(a, b, "generated ids are unique");
        });
    }
}
