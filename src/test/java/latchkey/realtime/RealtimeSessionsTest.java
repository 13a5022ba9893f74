package latchkey.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.support.Api;
import latchkey.support.Chat;
import latchkey.support.Harness;
import latchkey.support.MutableClock;
import latchkey.support.Ws;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiConsumer;

import static latchkey.support.Api.json;
import static latchkey.support.Chat.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may hold a socket, and for how long: auth, every way a session ends, expiry, re-auth, caps, bad frames. */
class RealtimeSessionsTest {
    @Test
    void aSocketMustAuthenticateFirstWithAGoodToken() {
        Harness.test(Map.of("realtime.auth-timeout", "PT1S"), (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            try (Ws silent = Ws.connect(api)) {
                silent.assertClosedWith(4408);
            }
            try (Ws wrongFirst = Ws.connect(api)) {
                wrongFirst.send(json("type", "ping"));
                wrongFirst.assertClosedWith(4401);
            }
            try (Ws garbage = Ws.connect(api)) {
                garbage.auth("not.a.jwt");
                garbage.assertClosedWith(4401);
            }
            try (Ws noToken = Ws.connect(api)) {
                noToken.send(json("type", "auth"));
                noToken.assertClosedWith(4401);
            }
            expect(204, api.post("/auth/logout", json("refresh_token", ada.session().refreshToken())));
            try (Ws revoked = Ws.connect(api)) {
                revoked.auth(ada.token());
                revoked.assertClosedWith(4401);
            }
        });
    }

    @Test
    void anExpiredTokenIsRefused() {
        MutableClock clock = new MutableClock(Instant.now());
        Harness.test(Map.of(), clock, (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            clock.advance(Duration.ofMinutes(16));
            try (Ws ws = Ws.connect(api)) {
                ws.auth(ada.token());
                ws.assertClosedWith(4401);
            }
        });
    }

    @Test
    void theSocketClosesAtExpiryUnlessReauthenticated() {
        MutableClock clock = new MutableClock(Instant.now());
        Harness.test(Map.of(), clock, (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            try (Ws renewed = Ws.open(api, ada.token()); Ws expiring = Ws.open(api, ada.token())) {
                clock.advance(Duration.ofMinutes(14));
                Api.Res refresh = api.post("/auth/refresh", json("refresh_token", ada.session().refreshToken()));
                expect(200, refresh);
                Api.Session refreshed = Api.Session.of(refresh);
                renewed.auth(refreshed.accessToken());
                JsonNode ready = renewed.next("ready");
                assertTrue(Instant.parse(ready.get("expires_at").asText()).isAfter(clock.instant().plus(Duration.ofMinutes(14))));
                clock.advance(Duration.ofMinutes(2));
                expiring.assertClosedWith(4401);
                renewed.send(json("type", "ping"));
                renewed.next("pong");
                assertFalse(renewed.isClosed(), "re-authenticated: it lives to the new expiry");
                clock.advance(Duration.ofMinutes(14));
                renewed.assertClosedWith(4401);
            }
        });
    }

    @Test
    void reauthenticationNeedsAGoodTokenOfTheSameUser() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            try (Ws ws = Ws.open(api, ada.token())) {
                ws.auth(bob.token());
                Ws.assertError(ws.next("error"), "wrong_user");
                ws.auth("garbage");
                Ws.assertError(ws.next("error"), "invalid_token");
                ws.send(json("type", "ping"));
                ws.next("pong");
            }
        });
    }

    @Test
    void everyWayASessionEndsClosesItsSocketsAtOnce() {
        check("logout", (api, user) -> expect(204, api.post("/auth/logout", json("refresh_token", user.session().refreshToken()))));
        check("logout-all", (api, user) -> expect(204, user.post("/auth/logout-all", "{}")));
        check("password change", (api, user) -> expect(204, user.post("/users/me/password",
                json("current_password", Harness.PASSWORD, "new_password", "another long passphrase"))));
        check("account deleted", (api, user) -> expect(204, api.send("DELETE", "/users/me", json("password", Harness.PASSWORD), user.token())));
        check("ended from another device", (api, user) -> {
            Chat other = new Chat(api, Api.Session.of(api.login("user@example.com", Harness.PASSWORD)));
            expect(204, other.delete("/users/me/sessions/" + sessionOf(api, user)));
        });
    }

    @Test
    void disablingAUserClosesTheirSockets() {
        Harness.test((api, ctx) -> {
            Chat admin = Chat.signUpSiteAdmin(api, ctx, "admin@example.com");
            Chat user = Chat.signUp(api, "user@example.com");
            try (Ws ws = Ws.open(api, user.token()); Ws adminWs = Ws.open(api, admin.token())) {
                expect(200, admin.patch("/admin/users/" + user.userId(), json("disabled", true)));
                ws.assertClosedWith(4401);
                assertFalse(adminWs.isClosed(), "only that user's sockets");
            }
        });
    }

    @Test
    void socketsAreCappedPerUserAndInAll() {
        Harness.test(Map.of("realtime.max-sockets-per-user", "2", "realtime.max-sockets", "3"), (api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            try (Ws one = Ws.open(api, ada.token()); Ws two = Ws.open(api, ada.token()); Ws third = Ws.connect(api)) {
                third.auth(ada.token());
                third.assertClosedWith(4409);
                try (Ws bobs = Ws.open(api, bob.token()); Ws overflow = Ws.connect(api)) {
                    overflow.assertClosedWith(1013);
                }
                assertFalse(one.isClosed() || two.isClosed());
            }
        });
    }

    @Test
    void badFramesAreAnsweredAndTheSocketStaysOpen() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            try (Ws ws = Ws.open(api, ada.token())) {
                ws.send("not json");
                Ws.assertError(ws.next("error"), "malformed_json");
                ws.send("[1,2]");
                Ws.assertError(ws.next("error"), "malformed_json");
                ws.send(json("type", "subscribe", "room_id", 1));
                Ws.assertError(ws.next("error"), "unknown_type");
                ws.send(json("type", "typing", "room_id", "one"));
                Ws.assertError(ws.next("error"), "validation_failed");
                ws.send(json("type", "typing", "room_id", 999));
                Ws.assertError(ws.next("error"), "not_a_member");
                ws.send(json("type", "ping"));
                ws.next("pong");
            }
        });
    }

    @Test
    void aBadSinceIsRefusedWithoutDroppingTheSocket() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            try (Ws ws = Ws.connect(api)) {
                ws.send("{\"type\":\"auth\",\"token\":\"" + ada.token() + "\",\"since\":{\"abc\":1}}");
                Ws.assertError(ws.next("error"), "validation_failed");
                ws.send("{\"type\":\"auth\",\"token\":\"" + ada.token() + "\",\"since\":{\"1\":-5}}");
                Ws.assertError(ws.next("error"), "validation_failed");
                ws.auth(ada.token());
                ws.next("ready");
            }
        });
    }

    @Test
    void aFrameOver64KibClosesWith1009() {
        Harness.test((api, ctx) -> {
            Chat ada = Chat.signUp(api, "ada@example.com");
            try (Ws ws = Ws.open(api, ada.token())) {
                ws.send(json("type", "ping", "pad", "x".repeat(RealtimeEndpoint.MAX_FRAME_BYTES)));
                ws.assertClosedWith(1009);
            }
        });
    }

    private static void check(String path, BiConsumer<Api, Chat> endSession) {
        Harness.test((api, ctx) -> {
            Chat user = Chat.signUp(api, "user@example.com");
            Chat bystander = Chat.signUp(api, "bystander@example.com");
            try (Ws ws = Ws.open(api, user.token()); Ws other = Ws.open(api, bystander.token())) {
                long start = System.nanoTime();
                endSession.accept(api, user);
                assertEquals(4401, ws.awaitClose(), path);
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), path + ": closed within a second");
                assertFalse(other.isClosed(), path + ": another user's socket stays");
            }
        });
    }

    private static long sessionOf(Api api, Chat user) {
        for (JsonNode session : expect(200, user.get("/users/me/sessions")).get("sessions")) {
            if (session.get("current").asBoolean()) return session.get("id").asLong();
        }
        throw new AssertionError("no current session");
    }
}
