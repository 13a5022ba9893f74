package latchkey.users;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.db.Database;
import latchkey.support.Api;
import latchkey.support.Harness;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two ways of answering a prefix search (indexes for few matches, id order for many) give the same pages. */
class SearchStrategiesTest {
    private static final int USERS = 3_000;

    @Test
    void bothStrategiesGiveTheSameRowsAndTheApiPagesThroughAllMatches() {
        Harness.test((api, ctx) -> {
            String token = api.signUp("searcher@example.com").accessToken();
            ctx.db().writer().useHandle(h -> {
                PreparedBatch batch = h.prepareBatch("""
                        INSERT INTO users (email, username, username_key, name, name_key, password_hash, disabled,
                                           password_changed_at, created_at, updated_at)
                        VALUES (:email, :username, :usernameKey, :name, :nameKey, 'x', :disabled, 0, 0, 0)""");
                for (int i = 1; i <= USERS; i++) {
                    String username = i % 11 == 0 ? null : (i % 2 == 0 ? "Alice" : "bob") + i;
                    String name = i % 13 == 0 ? null : (i % 3 == 0 ? "Alan " : "Zed ") + i;
                    batch.bind("email", "u" + i + "@example.com").bind("username", username).bind("usernameKey", key(username))
                            .bind("name", name).bind("nameKey", key(name)).bind("disabled", i % 7 == 0).add();
                }
                batch.execute();
            });
            Database db = ctx.db();
            // The count is exact below the cap and stops at it: "a" has more than 2,000 matches, the others fewer.
            for (String[] range : new String[][]{{"a", "b"}, {"alice1", "alice2"}, {"alan 3", "alan 4"}, {"zed 1", "zed 2"}, {"q", "r"}}) {
                int matches = db.read(h -> h.createQuery("""
                                SELECT count(*) FROM users WHERE username_key >= :lo AND username_key < :hi""")
                        .bind("lo", range[0]).bind("hi", range[1]).mapTo(Integer.class).one()
                        + h.createQuery("SELECT count(*) FROM users WHERE name_key >= :lo AND name_key < :hi")
                        .bind("lo", range[0]).bind("hi", range[1]).mapTo(Integer.class).one());
                int counted = db.read(UserDao.class, d -> d.countPrefixMatches(range[0], range[1], UserService.BROAD_PREFIX));
                assertEquals(Math.min(matches, UserService.BROAD_PREFIX), counted, range[0]);
                assertEquals(range[0].equals("a"), matches >= UserService.BROAD_PREFIX, range[0]);
            }

            for (String q : List.of("a", "al", "alice1", "alan 3", "b", "bob29", "z", "zed 1", "q", "searcher")) {
                Page page = Page.parse(q, null, null);
                for (long after : new long[]{0, 17, 1_500, 2_990, 5_000}) {
                    for (int limit : new int[]{1, 21, 101}) {
                        List<PublicProfile> byIndexes = db.read(UserDao.class, d -> d.searchProfiles(page.q(), page.upperBound(), after, limit));
                        List<PublicProfile> byScan = db.read(UserDao.class, d -> d.scanProfiles(page.q(), page.upperBound(), after, limit));
                        assertEquals(byIndexes, byScan, q + " after " + after + " limit " + limit);
                    }
                }
            }

            List<Long> expected = db.read(UserDao.class, d -> d.searchProfiles("a", "b", 0, USERS * 2)).stream().map(PublicProfile::id).toList();
            assertTrue(expected.size() > 1_000, "many matches: " + expected.size());
            assertEquals(expected, pageThrough(api, token, "A"));
            List<Long> few = db.read(UserDao.class, d -> d.searchProfiles("alice12", "alice13", 0, USERS)).stream().map(PublicProfile::id).toList();
            assertEquals(few, pageThrough(api, token, "alice12"));
        });
    }

    private static List<Long> pageThrough(Api api, String token, String q) {
        List<Long> ids = new ArrayList<>();
        String next = "";
        do {
            var res = api.get("/users?limit=7&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&after=" + next, token);
            assertEquals(200, res.status(), res.body());
            for (JsonNode user : res.json().get("users")) ids.add(user.get("id").asLong());
            next = res.text("next");
        } while (next != null);
        return ids;
    }

    private static String key(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }
}
