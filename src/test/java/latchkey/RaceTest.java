package latchkey;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.support.Api;
import latchkey.support.Harness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static latchkey.support.Api.json;
import static latchkey.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Concurrent requests: the database decides races, nothing is lost, nothing is a 500. */
class RaceTest {

    /** Runs every task at once (released together) and returns the results in order. */
    private static <T> List<T> all(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) results.add(f.get(120, TimeUnit.SECONDS));
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHundredRegistrationsOfOneEmailMakeExactlyOneAccount() throws Exception {
        Harness.test((api, ctx) -> {
            List<Callable<Api.Res>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String email = i % 2 == 0 ? "race@example.com" : "RACE@Example.com";
                tasks.add(() -> api.register(email, Harness.PASSWORD));
            }
            List<Api.Res> results = all(tasks);
            long created = results.stream().filter(r -> r.status() == 201).count();
            assertEquals(1, created, "201s");
            for (Api.Res r : results) {
                if (r.status() != 201) assertProblem(r, 409, "email_taken");
            }
            int rows = ctx.db().read(h -> h.createQuery("SELECT count(*) FROM users").mapTo(Integer.class).one());
            assertEquals(1, rows);
            assertEquals(200, api.login("race@example.com", Harness.PASSWORD).status());
        });
    }

    @Test
    void twoHundredDistinctRegistrationsAtOnceAllSucceed() throws Exception {
        Harness.test((api, ctx) -> {
            List<Callable<Api.Res>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String email = "crowd" + i + "@example.com";
                tasks.add(() -> api.register(email, Harness.PASSWORD));
            }
            List<Api.Res> results = all(tasks);
            Set<Long> ids = new HashSet<>();
            for (Api.Res r : results) {
                assertEquals(201, r.status(), r.toString());
                ids.add(Api.Session.of(r).userId());
            }
            assertEquals(200, ids.size(), "distinct ids");
            int rows = ctx.db().read(h -> h.createQuery("SELECT count(*) FROM users").mapTo(Integer.class).one());
            assertEquals(200, rows);
        });
    }

    @Test
    void concurrentPatchesOfDifferentFieldsLoseNothing() throws Exception {
        Harness.test((api, ctx) -> {
            String token = api.signUp("patchy@example.com").accessToken();
            for (int round = 0; round < 8; round++) {
                assertEquals(200, api.patch("/users/me", json("name", null, "username", null), token).status());
                List<Callable<Api.Res>> tasks = new ArrayList<>();
                Set<String> names = new HashSet<>();
                Set<String> usernames = new HashSet<>();
                for (int i = 0; i < 8; i++) {
                    String name = "Name " + round + "." + i;
                    String username = "user_" + round + "_" + i;
                    names.add(name);
                    usernames.add(username);
                    tasks.add(() -> api.patch("/users/me", json("name", name), token));
                    tasks.add(() -> api.patch("/users/me", json("username", username), token));
                }
                List<Api.Res> results = all(tasks);
                for (Api.Res r : results) assertEquals(200, r.status(), r.toString());
                JsonNode me = api.get("/users/me", token).json();
                String round0 = "round " + round + ": " + me;
                assertTrue(names.contains(me.path("name").asText(null)), "a name write was lost, " + round0);
                assertTrue(usernames.contains(me.path("username").asText(null)), "a username write was lost, " + round0);
                // The final state is what one of the writes answered: the last one to commit.
                boolean answered = results.stream().map(Api.Res::json)
                        .anyMatch(r -> r.path("name").equals(me.path("name")) && r.path("username").equals(me.path("username")));
                assertTrue(answered, "no PATCH answered the final state, " + round0);
            }
        });
    }

    @Test
    void concurrentPatchesOfOneFieldEndWithOneOfTheWritesAndTheLastPatchWins() throws Exception {
        Harness.test((api, ctx) -> {
            String token = api.signUp("namer@example.com").accessToken();
            List<Callable<Api.Res>> tasks = new ArrayList<>();
            Set<String> names = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 50; i++) {
                String name = "Writer " + i;
                names.add(name);
                tasks.add(() -> api.patch("/users/me", json("name", name), token));
            }
            for (Api.Res r : all(tasks)) assertEquals(200, r.status(), r.toString());
            assertTrue(names.contains(api.get("/users/me", token).text("name")));
            var last = api.patch("/users/me", json("name", "The last word"), token);
            assertEquals(200, last.status());
            assertEquals("The last word", last.text("name"));
            assertEquals("The last word", api.get("/users/me", token).text("name"));
        });
    }

    @Test
    void aUsernameClaimedByManyAtOnceGoesToExactlyOne() throws Exception {
        Harness.test((api, ctx) -> {
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 20; i++) tokens.add(api.signUp("claimant" + i + "@example.com").accessToken());
            List<Callable<Api.Res>> tasks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String token = tokens.get(i);
                String username = i % 2 == 0 ? "coveted" : "COVETED";
                tasks.add(() -> api.patch("/users/me", json("username", username), token));
            }
            List<Api.Res> results = all(tasks);
            assertEquals(1, results.stream().filter(r -> r.status() == 200).count(), results.toString());
            for (Api.Res r : results) {
                if (r.status() != 200) assertProblem(r, 409, "username_taken");
            }
        });
    }

    @Test
    void mixedConcurrentTrafficNeverFails() throws Exception {
        Harness.test((api, ctx) -> {
            List<Callable<List<Integer>>> tasks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                tasks.add(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    Api.Res reg = api.register("mixed" + n + "@example.com", Harness.PASSWORD);
                    statuses.add(reg.status());
                    Api.Session s = Api.Session.of(reg);
                    statuses.add(api.get("/users/me", s.accessToken()).status());
                    statuses.add(api.patch("/users/me", json("name", "Mixed " + n), s.accessToken()).status());
                    Api.Res refreshed = api.post("/auth/refresh", json("refresh_token", s.refreshToken()));
                    statuses.add(refreshed.status());
                    // The same refresh token again, within the grace: a second tab.
                    statuses.add(api.post("/auth/refresh", json("refresh_token", s.refreshToken())).status());
                    statuses.add(api.login("mixed" + n + "@example.com", Harness.PASSWORD).status());
                    statuses.add(api.get("/users?q=mixed&limit=5", s.accessToken()).status());
                    statuses.add(api.post("/auth/logout", json("refresh_token", refreshed.text("refresh_token"))).status());
                    return statuses;
                });
            }
            for (List<Integer> statuses : all(tasks)) {
                assertEquals(List.of(201, 200, 200, 200, 200, 200, 200, 204), statuses);
            }
            assertNotNull(api.get("/health").text("status"));
        });
    }
}
