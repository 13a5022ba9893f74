package latchkey;

import com.fasterxml.jackson.databind.node.ObjectNode;
import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static latchkey.support.Api.json;
import static latchkey.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The login and registration limits, through HTTP. */
class AbuseLimitsTest {
    private static final String WRONG = "not the password at all";

    private static void assertRateLimited(Api.Res res, long maxSeconds) {
        assertProblem(res, 429, "rate_limited");
        String retryAfter = res.header("Retry-After");
        assertNotNull(retryAfter, "Retry-After");
        long seconds = Long.parseLong(retryAfter);
        assertTrue(seconds >= 1 && seconds <= maxSeconds, "Retry-After " + seconds);
    }

    private static List<Integer> statuses(Api api, String email, String password, int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(api.login(email, password).status());
        return out;
    }

    @Test
    void anAccountIsLockedAfterTheLimitEvenForTheCorrectPassword() {
        Harness.test(Map.of("ratelimit.login-per-account", "3"), (api, ctx) -> {
            api.signUp("victim@example.com");
            assertEquals(List.of(401, 401, 401), statuses(api, "victim@example.com", WRONG, 3));
            assertRateLimited(api.login("victim@example.com", WRONG), 15 * 60);
            assertRateLimited(api.login("victim@example.com", Harness.PASSWORD), 15 * 60);
            assertRateLimited(api.login("VICTIM@Example.COM", Harness.PASSWORD), 15 * 60);
            // Other accounts from the same address are not affected.
            api.signUp("bystander@example.com");
            assertEquals(200, api.login("bystander@example.com", Harness.PASSWORD).status());
        });
    }

    @Test
    void aLockEndsWithItsWindowAndRetryAfterSaysWhen() {
        MutableClock clock = new MutableClock();
        Harness.test(Map.of("ratelimit.login-per-account", "2", "ratelimit.window", "PT10M"), clock, (api, ctx) -> {
            api.signUp("patient@example.com");
            statuses(api, "patient@example.com", WRONG, 2);
            var locked = api.login("patient@example.com", Harness.PASSWORD);
            assertRateLimited(locked, 600);
            assertTrue(Long.parseLong(locked.header("Retry-After")) >= 599, locked.header("Retry-After"));
            clock.advance(Duration.ofMinutes(4));
            long later = Long.parseLong(api.login("patient@example.com", Harness.PASSWORD).header("Retry-After"));
            assertTrue(later > 350 && later <= 360, "Retry-After " + later);
            clock.advance(Duration.ofMinutes(6));
            assertEquals(200, api.login("patient@example.com", Harness.PASSWORD).status());
        });
    }

    @Test
    void unknownAccountsAreCountedExactlyLikeRealOnes() {
        Harness.test(Map.of("ratelimit.login-per-account", "3"), (api, ctx) -> {
            api.signUp("real@example.com");
            List<Integer> real = statuses(api, "real@example.com", WRONG, 5);
            List<Integer> ghost = statuses(api, "ghost@example.com", WRONG, 5);
            assertEquals(List.of(401, 401, 401, 429, 429), real);
            assertEquals(real, ghost);
            var realLocked = api.login("real@example.com", WRONG);
            var ghostLocked = api.login("ghost@example.com", WRONG);
            assertEquals(((ObjectNode) realLocked.json()).without("detail"), ((ObjectNode) ghostLocked.json()).without("detail"));
            assertEquals(realLocked.header("Retry-After") != null, ghostLocked.header("Retry-After") != null);

            // By username too: an unknown username locks like a real one.
            api.post("/auth/register", json("email", "named@example.com", "password", Harness.PASSWORD, "username", "named"));
            List<Integer> byName = new ArrayList<>();
            List<Integer> byGhostName = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                byName.add(api.post("/auth/login", json("username", i % 2 == 0 ? "named" : "NAMED", "password", WRONG)).status());
                byGhostName.add(api.post("/auth/login", json("username", "nobody", "password", WRONG)).status());
            }
            assertEquals(List.of(401, 401, 401, 429, 429), byName);
            assertEquals(byName, byGhostName);
        });
    }

    @Test
    void aSuccessfulLoginResetsTheAccountCounter() {
        Harness.test(Map.of("ratelimit.login-per-account", "3"), (api, ctx) -> {
            api.signUp("forgetful@example.com");
            assertEquals(List.of(401, 401), statuses(api, "forgetful@example.com", WRONG, 2));
            assertEquals(200, api.login("forgetful@example.com", Harness.PASSWORD).status());
            // The full allowance again, not the one attempt that was left.
            assertEquals(List.of(401, 401, 401, 429), statuses(api, "forgetful@example.com", WRONG, 4));
        });
    }

    @Test
    void parallelGuessesCanNotSlipPastTheLimit() throws Exception {
        Harness.test(Map.of("ratelimit.login-per-account", "5"), (api, ctx) -> {
            api.signUp("target@example.com");
            ExecutorService pool = Executors.newFixedThreadPool(40);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < 40; i++) results.add(pool.submit(() -> api.login("target@example.com", WRONG).status()));
                int unauthorized = 0;
                int limited = 0;
                for (Future<Integer> f : results) {
                    int status = f.get();
                    if (status == 401) unauthorized++;
                    else if (status == 429) limited++;
                    else throw new AssertionError("unexpected status " + status);
                }
                assertEquals(5, unauthorized, "password checks allowed");
                assertEquals(35, limited);
            } finally {
                pool.shutdownNow();
            }
        });
    }

    @Test
    void failuresArePerClientAddressAcrossAccounts() {
        Harness.test(Map.of("ratelimit.login-per-ip", "4", "ratelimit.login-per-account", "100"), (api, ctx) -> {
            api.signUp("mine@example.com");
            for (int i = 0; i < 4; i++) assertEquals(401, api.login("spray" + i + "@example.com", WRONG).status());
            assertRateLimited(api.login("spray9@example.com", WRONG), 15 * 60);
            assertRateLimited(api.login("mine@example.com", Harness.PASSWORD), 15 * 60);
        });
    }

    @Test
    void successfulLoginsDoNotCountAgainstTheAddress() {
        Harness.test(Map.of("ratelimit.login-per-ip", "3"), (api, ctx) -> {
            api.signUp("regular@example.com");
            for (int i = 0; i < 10; i++) assertEquals(200, api.login("regular@example.com", Harness.PASSWORD).status(), "login " + i);
            assertEquals(List.of(401, 401, 401), statuses(api, "other@example.com", WRONG, 3));
            assertRateLimited(api.login("other@example.com", WRONG), 15 * 60);
        });
    }

    @Test
    void registrationsAreLimitedPerAddressPerHour() {
        MutableClock clock = new MutableClock();
        Harness.test(Map.of("ratelimit.register-per-ip-hour", "3"), clock, (api, ctx) -> {
            for (int i = 0; i < 3; i++) assertEquals(201, api.register("new" + i + "@example.com", Harness.PASSWORD).status());
            var limited = api.register("new3@example.com", Harness.PASSWORD);
            assertRateLimited(limited, 3600);
            assertTrue(Long.parseLong(limited.header("Retry-After")) > 3500, limited.header("Retry-After"));
            assertEquals(401, api.login("new3@example.com", Harness.PASSWORD).status(), "a refused registration creates nothing");
            clock.advance(Duration.ofMinutes(61));
            assertEquals(201, api.register("new3@example.com", Harness.PASSWORD).status());
        });
    }

    @Test
    void forwardedForIsIgnoredUnlessTheProxyIsTrusted() {
        Harness.test(Map.of("ratelimit.login-per-ip", "2", "ratelimit.login-per-account", "100"), (api, ctx) -> {
            assertEquals(401, loginFrom(api, "203.0.113.1", "a@example.com").status());
            assertEquals(401, loginFrom(api, "203.0.113.2", "b@example.com").status());
            assertRateLimited(loginFrom(api, "203.0.113.3", "c@example.com"), 15 * 60);
            assertRateLimited(api.login("d@example.com", WRONG), 15 * 60);
        });
    }

    @Test
    void behindATrustedProxyTheLeftMostForwardedAddressIsTheClient() {
        Harness.test(Map.of("server.trust-proxy", "true", "ratelimit.login-per-ip", "2", "ratelimit.login-per-account", "100"), (api, ctx) -> {
            assertEquals(401, loginFrom(api, "203.0.113.1", "a@example.com").status());
            assertEquals(401, loginFrom(api, "203.0.113.1, 10.0.0.1", "b@example.com").status());
            assertRateLimited(loginFrom(api, "203.0.113.1,10.0.0.2", "c@example.com"), 15 * 60);
            // Another client behind the same proxy has its own allowance.
            assertEquals(401, loginFrom(api, "198.51.100.7, 203.0.113.1", "d@example.com").status());
            // The address a session shows is the forwarded one.
            var session = api.raw("POST", "/auth/register", Map.of("Content-Type", "application/json", "X-Forwarded-For", "192.0.2.44"),
                    json("email", "proxied@example.com", "password", Harness.PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertEquals(201, session.status(), session.body());
            var sessions = api.get("/users/me/sessions", Api.Session.of(session).accessToken());
            assertEquals("192.0.2.44", sessions.json().path("sessions").path(0).path("ip").asText(), sessions.body());
        });
    }

    @Test
    void limitsCanBeTurnedOff() {
        Harness.test(Map.of("ratelimit.enabled", "false", "ratelimit.login-per-account", "2", "ratelimit.register-per-ip-hour", "2"), (api, ctx) -> {
            api.signUp("free@example.com");
            for (int i = 0; i < 8; i++) assertEquals(401, api.login("free@example.com", WRONG).status());
            assertEquals(200, api.login("free@example.com", Harness.PASSWORD).status());
            for (int i = 0; i < 4; i++) assertEquals(201, api.register("more" + i + "@example.com", Harness.PASSWORD).status());
        });
    }

    @Test
    void aFloodOfPasswordChecksBeyondTheQueueIsShedWith503() throws Exception {
        Harness.test(Map.of("bcrypt.cost", "10", "bcrypt.threads", "1", "bcrypt.max-queue", "2", "ratelimit.login-per-account", "1000"), (api, ctx) -> {
            assertEquals(201, api.register("busy@example.com", Harness.PASSWORD).status());
            ExecutorService pool = Executors.newFixedThreadPool(30);
            try {
                List<Future<Api.Res>> results = new ArrayList<>();
                for (int i = 0; i < 30; i++) results.add(pool.submit(() -> api.login("busy@example.com", Harness.PASSWORD)));
                int ok = 0;
                int shed = 0;
                for (Future<Api.Res> f : results) {
                    Api.Res res = f.get();
                    if (res.status() == 200) {
                        ok++;
                    } else {
                        assertProblem(res, 503, "overloaded");
                        assertNotNull(res.header("Retry-After"), "Retry-After on 503");
                        shed++;
                    }
                }
                assertTrue(ok >= 1, "some logins get through");
                assertTrue(shed >= 1, "the queue of 2 can not hold 30 logins at once");
            } finally {
                pool.shutdownNow();
            }
            assertEquals(200, api.login("busy@example.com", Harness.PASSWORD).status(), "the server recovers");
        });
    }

    private static Api.Res loginFrom(Api api, String forwardedFor, String email) {
        return api.raw("POST", "/auth/login", Map.of("Content-Type", "application/json", "X-Forwarded-For", forwardedFor),
                json("email", email, "password", WRONG).getBytes(StandardCharsets.UTF_8));
    }
}
