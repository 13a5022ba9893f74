package latchkey;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.support.Api;
import latchkey.support.Concurrent;
import latchkey.support.Harness;
import latchkey.support.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static latchkey.support.Api.json;
import static latchkey.support.Harness.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionTest {
    private static Api.Res refresh(Api api, String refreshToken) {
        return api.post("/auth/refresh", json("refresh_token", refreshToken));
    }

    @Test
    void refreshRotatesTheRefreshTokenAndIssuesAWorkingAccessToken() {
        Harness.test((api, ctx) -> {
            var first = api.signUp("a@example.com");
            var res = refresh(api, first.refreshToken());
            assertEquals(200, res.status(), res.body());
            assertEquals("no-store", res.header("Cache-Control"));
            var second = Api.Session.of(res);
            assertNotEquals(first.refreshToken(), second.refreshToken());
            assertEquals(200, api.get("/users/me", second.accessToken()).status());
            assertEquals(200, refresh(api, second.refreshToken()).status(), "the new refresh token works");
            int stored = ctx.db().read(h -> h.createQuery("SELECT count(*) FROM refresh_tokens WHERE token_hash = ?")
                    .bind(0, second.refreshToken().getBytes()).mapTo(Integer.class).one());
            assertEquals(0, stored, "refresh tokens are stored only as hashes");
        });
    }

    @Test
    void aSpentTokenReusedAfterTheGraceEndsTheWholeSession() {
        MutableClock clock = new MutableClock();
        Harness.test(Map.of(), clock, (api, ctx) -> {
            var first = api.signUp("a@example.com");
            var second = Api.Session.of(refresh(api, first.refreshToken()));
            clock.advance(Duration.ofSeconds(11));
            var replay = refresh(api, first.refreshToken());
            assertEquals(401, replay.status());
            assertEquals("invalid_token", replay.code());
            assertEquals(401, refresh(api, second.refreshToken()).status(), "the newest refresh token of the session is dead too");
            assertEquals(401, api.get("/users/me", second.accessToken()).status(), "and so are its access tokens");
            assertEquals(401, api.get("/users/me", first.accessToken()).status());
        });
    }

    @Test
    void parallelTabsRefreshingWithTheSameTokenWithinTheGraceAllSucceed() {
        Harness.test((api, ctx) -> {
            var first = api.signUp("a@example.com");
            int tabs = 6;
            List<Api.Res> results = Concurrent.atOnce(tabs, () -> refresh(api, first.refreshToken()));
            var refreshTokens = new HashSet<String>();
            for (Api.Res res : results) {
                assertEquals(200, res.status(), res.body());
                var s = Api.Session.of(res);
                assertEquals(200, api.get("/users/me", s.accessToken()).status());
                refreshTokens.add(s.refreshToken());
            }
            assertEquals(tabs, refreshTokens.size(), "each tab gets its own new refresh token");
            for (String token : refreshTokens) assertEquals(200, refresh(api, token).status(), "and each keeps working");
            assertEquals(200, api.get("/users/me", first.accessToken()).status(), "the session stays alive");
        });
    }

    @Test
    void unknownExpiredAndMissingRefreshTokens() {
        MutableClock clock = new MutableClock();
        Harness.test(Map.of("jwt.refresh-ttl", "PT1H"), clock, (api, ctx) -> {
            var s = api.signUp("a@example.com");
            assertEquals(401, refresh(api, "not-a-token").status());
            var missing = api.post("/auth/refresh", "{}");
            assertEquals(400, missing.status());
            assertEquals("validation_failed", missing.code());
            assertTrue(missing.json().get("errors").has("refresh_token"));
            clock.advance(Duration.ofMinutes(61));
            var expired = refresh(api, s.refreshToken());
            assertEquals(401, expired.status());
            assertEquals("invalid_token", expired.code());
        });
    }

    @Test
    void aRefreshWithinTheTtlKeepsTheSessionGoing() {
        MutableClock clock = new MutableClock();
        Harness.test(Map.of("jwt.refresh-ttl", "PT1H"), clock, (api, ctx) -> {
            var s = api.signUp("a@example.com");
            clock.advance(Duration.ofMinutes(50));
            var next = Api.Session.of(refresh(api, s.refreshToken()));
            clock.advance(Duration.ofMinutes(50));
            assertEquals(200, refresh(api, next.refreshToken()).status(), "100 minutes in, but refreshed 50 minutes ago");
        });
    }

    @Test
    void logoutEndsThatSessionOnlyAndIsIdempotent() {
        Harness.test((api, ctx) -> {
            var phone = api.signUp("a@example.com");
            var laptop = Api.Session.of(api.login("a@example.com", PASSWORD));
            var res = api.post("/auth/logout", json("refresh_token", phone.refreshToken()));
            assertEquals(204, res.status());
            assertEquals(null, res.header("Content-Type"), "no body, no content type");
            assertEquals(401, api.get("/users/me", phone.accessToken()).status());
            assertEquals(401, refresh(api, phone.refreshToken()).status());
            assertEquals(200, api.get("/users/me", laptop.accessToken()).status(), "other sessions live on");
            assertEquals(204, api.post("/auth/logout", json("refresh_token", phone.refreshToken())).status(), "again: still 204");
            assertEquals(204, api.post("/auth/logout", json("refresh_token", "unknown"), phone.accessToken()).status(),
                    "unknown token, dead access token in Authorization: 204");
        });
    }

    @Test
    void logoutAllEndsEverySession() {
        Harness.test((api, ctx) -> {
            var phone = api.signUp("a@example.com");
            var laptop = Api.Session.of(api.login("a@example.com", PASSWORD));
            var otherUser = api.signUp("b@example.com");
            assertEquals(204, api.post("/auth/logout-all", null, laptop.accessToken()).status());
            for (var s : List.of(phone, laptop)) {
                assertEquals(401, api.get("/users/me", s.accessToken()).status());
                assertEquals(401, refresh(api, s.refreshToken()).status());
            }
            assertEquals(200, api.get("/users/me", otherUser.accessToken()).status());
            assertEquals(401, api.post("/auth/logout-all", null, null).status(), "protected");
        });
    }

    @Test
    void theOwnerListsAndEndsSessions() {
        Harness.test((api, ctx) -> {
            var phone = api.signUp("a@example.com");
            var laptop = Api.Session.of(api.raw("POST", "/auth/login", Map.of("Content-Type", "application/json", "User-Agent", "Laptop/1.0"),
                    json("email", "a@example.com", "password", PASSWORD).getBytes()));
            var stranger = api.signUp("b@example.com");

            var list = api.get("/users/me/sessions", laptop.accessToken());
            assertEquals(200, list.status(), list.body());
            JsonNode sessions = list.json().get("sessions");
            assertEquals(2, sessions.size());
            JsonNode current = null;
            for (JsonNode s : sessions) if (s.get("current").asBoolean()) current = s;
            assertEquals("Laptop/1.0", current.get("user_agent").asText());
            assertEquals("127.0.0.1", current.get("ip").asText());
            assertTrue(current.hasNonNull("created_at") && current.hasNonNull("last_used_at"));

            long phoneSession = latchkey.support.Tokens.payload(phone.accessToken()).get("sid").asLong();
            long strangerSession = latchkey.support.Tokens.payload(stranger.accessToken()).get("sid").asLong();
            assertEquals(404, api.delete("/users/me/sessions/" + strangerSession, null, laptop.accessToken()).status(), "not yours");
            assertEquals(200, api.get("/users/me", stranger.accessToken()).status());
            assertEquals(204, api.delete("/users/me/sessions/" + phoneSession, null, laptop.accessToken()).status());
            assertEquals(401, api.get("/users/me", phone.accessToken()).status());
            assertEquals(1, api.get("/users/me/sessions", laptop.accessToken()).json().get("sessions").size());
            assertEquals(404, api.delete("/users/me/sessions/" + phoneSession, null, laptop.accessToken()).status(), "already ended");
        });
    }

    @Test
    void changingThePasswordEndsEverySession() {
        Harness.test((api, ctx) -> {
            var phone = api.signUp("a@example.com");
            var laptop = Api.Session.of(api.login("a@example.com", PASSWORD));
            var wrong = api.post("/users/me/password", json("current_password", "not it at all", "new_password", "a brand new secret"), phone.accessToken());
            assertEquals(400, wrong.status());
            assertEquals("validation_failed", wrong.code());
            assertTrue(wrong.json().get("errors").has("current_password"));
            var weak = api.post("/users/me/password", json("current_password", PASSWORD, "new_password", "short"), phone.accessToken());
            assertEquals(400, weak.status());
            assertTrue(weak.json().get("errors").has("new_password"));
            assertEquals(200, api.get("/users/me", phone.accessToken()).status(), "failed attempts change nothing");

            assertEquals(204, api.post("/users/me/password", json("current_password", PASSWORD, "new_password", "a brand new secret"), phone.accessToken()).status());
            for (var s : List.of(phone, laptop)) {
                assertEquals(401, api.get("/users/me", s.accessToken()).status());
                assertEquals(401, refresh(api, s.refreshToken()).status());
            }
            assertEquals(401, api.login("a@example.com", PASSWORD).status());
            var again = api.login("a@example.com", "a brand new secret");
            assertEquals(200, again.status());
            assertEquals(200, api.get("/users/me", Api.Session.of(again).accessToken()).status());
        });
    }

    @Test
    void deletingTheAccountRemovesUserAndSessions() {
        Harness.test((api, ctx) -> {
            var s = api.signUp("a@example.com");
            var wrong = api.delete("/users/me", json("password", "not the password"), s.accessToken());
            assertEquals(400, wrong.status());
            assertTrue(wrong.json().get("errors").has("password"));
            assertEquals(204, api.delete("/users/me", json("password", PASSWORD), s.accessToken()).status());
            assertEquals(401, api.get("/users/me", s.accessToken()).status());
            assertEquals(401, refresh(api, s.refreshToken()).status());
            assertEquals(401, api.login("a@example.com", PASSWORD).status());
            int rows = ctx.db().read(h -> h.createQuery(
                    "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM sessions) + (SELECT count(*) FROM refresh_tokens)").mapTo(Integer.class).one());
            assertEquals(0, rows, "user, sessions and refresh tokens are gone");
            assertEquals(201, api.register("a@example.com", PASSWORD).status(), "the email is free again");
        });
    }

    @Test
    void pruningRemovesExpiredAndLongEndedSessionsOnly() {
        MutableClock clock = new MutableClock();
        Harness.test(Map.of("jwt.refresh-ttl", "PT1H"), clock, (api, ctx) -> {
            var expiring = api.signUp("a@example.com");
            clock.advance(Duration.ofMinutes(30));
            var live = api.signUp("b@example.com");
            var ended = api.signUp("c@example.com");
            api.post("/auth/logout", json("refresh_token", ended.refreshToken()));
            clock.advance(Duration.ofMinutes(31));
            var sessions = new latchkey.sessions.SessionService(ctx.db(), null, new latchkey.sessions.AccessCache(), new latchkey.events.EventBus(),
                    Duration.ofHours(1), Duration.ofSeconds(10), clock);
            sessions.prune();
            assertEquals(2, count(ctx, "sessions"), "the expired one is gone; the recently ended one stays a day");
            assertEquals(200, refresh(api, live.refreshToken()).status());
            clock.advance(Duration.ofDays(1));
            sessions.prune();
            assertEquals(0, count(ctx, "sessions"));
            assertEquals(0, count(ctx, "refresh_tokens"));
            assertEquals(401, refresh(api, expiring.refreshToken()).status());
        });
    }

    private static int count(Harness.Context ctx, String table) {
        return ctx.db().read(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
    }
}
