package latchkey;

import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.LogCapture;
import latchkey.support.ProblemAssert;
import latchkey.support.RawHttp;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static latchkey.support.Api.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Thousands of malformed and hostile requests against one server: no 5xx, every error a problem
 * document with a code, and the server healthy afterwards. The seed is fixed so that every build
 * sends the same requests; explore others with {@code mvn test -Dtest=FuzzTest -Dfuzz.seed=<seed>}.
 */
class FuzzTest {
    private static final long DEFAULT_SEED = 20261125L;

    private static final int REQUESTS = 2_500;
    private static final int THREADS = 6;
    /** Marks values the server must never write to its log (passwords and tokens the fuzzer sends). */
    private static final String MARKER = "Fuzz-Secret-7Q";

    private static final List<String> SQL_INJECTIONS = List.of(
            "' OR '1'='1", "' OR 1=1 --", "'; DROP TABLE users; --", "\" OR \"\"=\"", "admin'--", "1; SELECT * FROM users",
            "' UNION SELECT password_hash, email, 1 FROM users --", "%' OR '%'='", "\\'; DELETE FROM sessions; --",
            "1' AND sleep(5) --", "x' AND 1=(SELECT COUNT(*) FROM sqlite_master) --", "'||(SELECT password_hash FROM users LIMIT 1)||'",
            "); PRAGMA writable_schema=1; --", "' OR email LIKE '%", "_%", "%", "`id`", "NULL", "0x27", "'; ATTACH DATABASE '/tmp/x' AS x; --");

    private static final List<String> ODD_STRINGS = List.of(
            "", " ", "\t", "\u0000", "a\u0000b", "\ud800", "\udfff", "x\ud83d", "\ud83d\ude00\ud83d\ude00", "\u202eevil", "e\u0301",
            "\uffff", "\ufeff", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "../../etc/passwd", "%00", "\r\nSet-Cookie: x=y",
            "a".repeat(300), "é".repeat(1_100), "\\", "\"", "{}", "[]", "null", "true", "-1", "9".repeat(40), "1e309",
            "a@b.c", "A@B.C", "a@b", "@b.c", "a@@b.c", "a b@c.d", "user_name", "Ab", "a".repeat(33), "ok.name-1");

    private static final List<String> JSON_VALUES = List.of(
            "null", "true", "false", "0", "-1", "1.5", "1e999", "-0", "123456789012345678901234567890", "[]", "[1,2]", "{}",
            "{\"a\":{\"b\":[]}}", "\"\"", "[\"a@b.c\"]");

    private record Endpoint(String method, String path, List<String> fields) {
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/auth/register", List.of("email", "password", "name", "username")),
            new Endpoint("POST", "/auth/login", List.of("email", "username", "password")),
            new Endpoint("POST", "/auth/refresh", List.of("refresh_token")),
            new Endpoint("POST", "/auth/logout", List.of("refresh_token")),
            new Endpoint("POST", "/auth/logout-all", List.of()),
            new Endpoint("GET", "/users/me", List.of()),
            new Endpoint("PATCH", "/users/me", List.of("name", "username", "email", "role", "id", "disabled", "created_at")),
            new Endpoint("DELETE", "/users/me", List.of("password")),
            new Endpoint("POST", "/users/me/password", List.of("current_password", "new_password")),
            new Endpoint("GET", "/users/me/sessions", List.of()),
            new Endpoint("DELETE", "/users/me/sessions/{id}", List.of()),
            new Endpoint("GET", "/users", List.of()),
            new Endpoint("GET", "/users/{id}", List.of()),
            new Endpoint("GET", "/admin/users", List.of()),
            new Endpoint("PATCH", "/admin/users/{id}", List.of("role", "disabled")),
            new Endpoint("DELETE", "/admin/users/{id}", List.of()),
            new Endpoint("POST", "/auth/password-reset", List.of("email")),
            new Endpoint("POST", "/auth/password-reset/confirm", List.of("token", "new_password")),
            new Endpoint("POST", "/auth/verify-email", List.of("token")),
            new Endpoint("POST", "/auth/confirm-email-change", List.of("token")),
            new Endpoint("POST", "/users/me/email", List.of("new_email", "password")),
            new Endpoint("POST", "/users/me/verify-email", List.of()),
            new Endpoint("GET", "/health", List.of()),
            new Endpoint("GET", "/rooms", List.of()),
            new Endpoint("POST", "/rooms", List.of("name", "topic", "private", "member_ids")),
            new Endpoint("POST", "/rooms/direct", List.of("user_id")),
            new Endpoint("GET", "/rooms/{id}", List.of()),
            new Endpoint("PATCH", "/rooms/{id}", List.of("name", "topic", "private")),
            new Endpoint("DELETE", "/rooms/{id}", List.of()),
            new Endpoint("POST", "/rooms/{id}/join", List.of()),
            new Endpoint("POST", "/rooms/{id}/leave", List.of()),
            new Endpoint("GET", "/rooms/{id}/members", List.of()),
            new Endpoint("PUT", "/rooms/{id}/members/{user_id}", List.of("role")),
            new Endpoint("DELETE", "/rooms/{id}/members/{user_id}", List.of()),
            new Endpoint("GET", "/rooms/{id}/messages", List.of()),
            new Endpoint("POST", "/rooms/{id}/messages", List.of("text", "reply_to", "client_id", "attachment_ids")),
            new Endpoint("GET", "/rooms/{id}/messages/{message_id}", List.of()),
            new Endpoint("PATCH", "/rooms/{id}/messages/{message_id}", List.of("text")),
            new Endpoint("DELETE", "/rooms/{id}/messages/{message_id}", List.of()),
            new Endpoint("PUT", "/rooms/{id}/read", List.of("seq")),
            new Endpoint("POST", "/rooms/{id}/typing", List.of()),
            new Endpoint("POST", "/uploads", List.of("file")),
            new Endpoint("GET", "/uploads/{id}", List.of()),
            new Endpoint("GET", "/files/{id}", List.of()),
            new Endpoint("PUT", "/users/me/avatar", List.of("file")),
            new Endpoint("DELETE", "/users/me/avatar", List.of()));

    /** One generated request, as the bytes that go on the wire. */
    private record Case(int n, String kind, byte[] wire) {
        String describe() {
            String text = new String(wire, StandardCharsets.ISO_8859_1);
            return "#" + n + " (" + kind + "): " + (text.length() > 600 ? text.substring(0, 600) + "..." : text);
        }
    }

    @Test
    void hostileTrafficGetsProblemsAndLeavesTheServerHealthy() throws Exception {
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        System.out.println("FuzzTest seed " + seed + " (rerun: -Dfuzz.seed=" + seed + ")");
        Map<Integer, Integer> statuses = new ConcurrentSkipListMap<>();
        Harness.test((api, ctx) -> {
            try (LogCapture log = new LogCapture()) {
                Api.Session user = api.signUp("fuzz-user@example.com");
                Api.Session admin = api.signUp("fuzz-admin@example.com");
                for (int i = 3; i <= 5; i++) api.signUp("fuzz-victim" + i + "@example.com");
                ctx.db().writer().useHandle(h -> h.execute("UPDATE users SET role = 'admin' WHERE email = 'fuzz-admin@example.com'"));
                // Rooms 1 to 5 with a few messages, so that the chat routes have something to act on.
                for (int room = 1; room <= 5; room++) {
                    Api.Res created = api.post("/rooms", json("name", "fuzz room " + room, "private", room % 2 == 0, "member_ids", List.of(3, 4)),
                            user.accessToken());
                    assertEquals(201, created.status(), created.body());
                    for (int m = 0; m < 3; m++) api.post("/rooms/" + room + "/messages", json("text", "hello " + m), user.accessToken());
                }
                Api.Res adminLogin = api.login("fuzz-admin@example.com", Harness.PASSWORD);
                assertEquals(200, adminLogin.status(), adminLogin.body());
                Generator generator = new Generator(new Random(seed), List.of(user.accessToken(), adminLogin.text("access_token")),
                        List.of(user.refreshToken(), admin.refreshToken()));
                List<Case> cases = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) cases.add(generator.next(i));

                ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
                RawHttp raw = RawHttp.of(api);
                ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                try {
                    List<Future<?>> futures = new ArrayList<>();
                    for (Case c : cases) {
                        futures.add(pool.submit(() -> {
                            RawHttp.Res res = raw.exchange(c.wire());
                            statuses.merge(res.status(), 1, Integer::sum);
                            check(c, res, failures);
                        }));
                    }
                    for (Future<?> f : futures) f.get(5, TimeUnit.MINUTES);
                } finally {
                    pool.shutdownNow();
                }
                if (!failures.isEmpty()) {
                    fail("seed " + seed + ": " + failures.size() + " of " + REQUESTS + " requests failed; the first ones:\n"
                            + String.join("\n\n", failures.stream().limit(5).toList()));
                }

                String why = "seed " + seed + ": after the fuzzing ";
                assertEquals(200, api.get("/health").status(), why + "/health");
                Api.Res reg = api.register("after-fuzz@example.com", Harness.PASSWORD);
                assertEquals(201, reg.status(), why + "register: " + reg);
                Api.Res login = api.login("after-fuzz@example.com", Harness.PASSWORD);
                assertEquals(200, login.status(), why + "login: " + login);
                Api.Res me = api.get("/users/me", login.text("access_token"));
                assertEquals(200, me.status(), why + "me: " + me);
                assertEquals("after-fuzz@example.com", me.text("email"), why);
                if (!Harness.POSTGRESQL) {
                    String integrity = ctx.db().read(h -> h.createQuery("PRAGMA integrity_check").mapTo(String.class).one());
                    assertEquals("ok", integrity, why + "integrity_check");
                }
                String text = log.text();
                assertTrue(!text.contains(MARKER), why + "a password or token the fuzzer sent is in the log");
                assertTrue(!text.contains("unexpected error"), why + "the server logged an unexpected error:\n" + text);
            }
        });
        System.out.println("FuzzTest statuses " + statuses);
    }

    private static void check(Case c, RawHttp.Res res, ConcurrentLinkedQueue<String> failures) {
        String problem = null;
        if (res.status() < 0) {
            problem = "no HTTP answer";
        } else if (res.status() >= 500) {
            problem = "server error " + res.status();
        } else if (res.status() >= 400 && !c.kind().startsWith("HEAD")
                && !ProblemAssert.isProblem(res.header("Content-Type"), res.text(), res.status())) {
            problem = "error without a problem document";
        } else if (!"nosniff".equals(res.header("X-Content-Type-Options"))) {
            problem = "no X-Content-Type-Options: nosniff";
        }
        if (problem != null) failures.add(problem + " for " + c.describe() + "\n  -> " + res);
    }

    /** Turns a seeded Random into requests; the same seed gives the same requests. */
    private static final class Generator {
        private final Random random;
        private final List<String> accessTokens;
        private final List<String> refreshTokens;

        Generator(Random random, List<String> accessTokens, List<String> refreshTokens) {
            this.random = random;
            this.accessTokens = accessTokens;
            this.refreshTokens = refreshTokens;
        }

        Case next(int n) {
            int kind = random.nextInt(100);
            if (kind < 45) return endpointCase(n, "fields", hostileObject(pick(ENDPOINTS)));
            if (kind < 60) return endpointCase(n, "malformed body", malformedBody());
            if (kind < 66) return oversized(n);
            if (kind < 76) return oddPath(n);
            if (kind < 84) return oddMethod(n);
            if (kind < 92) return oddHeaders(n);
            return tokenAttack(n);
        }

        private Case endpointCase(int n, String kind, byte[] body) {
            Endpoint e = pick(ENDPOINTS);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", random.nextInt(4) == 0 ? contentType() : "application/json");
            maybeAuthorize(headers);
            return request(n, kind, e.method(), target(e), headers, body, random.nextInt(10) == 0);
        }

        private byte[] hostileObject(Endpoint e) {
            StringBuilder s = new StringBuilder("{");
            List<String> fields = new ArrayList<>(e.fields());
            if (fields.isEmpty() || random.nextInt(5) == 0) fields.add(pick(List.of("email", "password", "x", "__proto__", "", "role")));
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) s.append(',');
                s.append(quote(fields.get(i))).append(':').append(hostileValue());
            }
            return s.append('}').toString().getBytes(StandardCharsets.UTF_8);
        }

        private String hostileValue() {
            return switch (random.nextInt(6)) {
                case 0, 1 -> quote(pick(SQL_INJECTIONS) + (random.nextBoolean() ? "@example.com" : ""));
                case 2 -> quote(pick(ODD_STRINGS));
                case 3 -> pick(JSON_VALUES);
                case 4 -> quote(MARKER + random.nextInt(1000) + pick(SQL_INJECTIONS));
                default -> quote("fuzz" + random.nextInt(100_000) + "@example.com");
            };
        }

        private byte[] malformedBody() {
            return switch (random.nextInt(12)) {
                case 0 -> randomBytes(random.nextInt(200));
                case 1 -> ("{\"email\":\"" + MARKER).getBytes(StandardCharsets.UTF_8);
                case 2 -> concat("{\"email\":\"a".getBytes(StandardCharsets.UTF_8), new byte[]{(byte) 0xff, (byte) 0xc0, (byte) 0x80},
                        "@b.c\",\"password\":\"xxxxxxxxxx\"}".getBytes(StandardCharsets.UTF_8));
                case 3 -> "{\"email\":\"a\u0000@b.c\",\"password\":\"p\u0001\u0002ssword\"}".getBytes(StandardCharsets.UTF_8);
                case 4 -> ("[".repeat(1 + random.nextInt(50_000))).getBytes(StandardCharsets.UTF_8);
                case 5 -> ("{\"a\":".repeat(1 + random.nextInt(3_000)) + "1" + "}".repeat(random.nextInt(3_000))).getBytes(StandardCharsets.UTF_8);
                case 6 -> "{\"email\":\"a@b.c\"}garbage".getBytes(StandardCharsets.UTF_8);
                case 7 -> concat(new byte[]{(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, "{\"email\":\"a@b.c\"}".getBytes(StandardCharsets.UTF_8));
                case 8 -> ("{\"email\":" + "9".repeat(1 + random.nextInt(20_000)) + "}").getBytes(StandardCharsets.UTF_8);
                case 9 -> "{\"email\":\"a@b.c\",\"email\":[],\"email\":{}}".getBytes(StandardCharsets.UTF_8);
                case 10 -> new byte[0];
                default -> ("{\"password\":\"" + "\\u".repeat(1 + random.nextInt(5)) + "\"}").getBytes(StandardCharsets.UTF_8);
            };
        }

        private Case oversized(int n) {
            Endpoint e = pick(ENDPOINTS.subList(0, 4));
            byte[] body = new byte[65_537 + random.nextInt(200_000)];
            java.util.Arrays.fill(body, (byte) ' ');
            body[0] = '{';
            body[body.length - 1] = '}';
            return request(n, "oversized body", e.method(), e.path(), new LinkedHashMap<>(Map.of("Content-Type", "application/json")), body, random.nextBoolean());
        }

        private Case oddPath(int n) {
            String path = switch (random.nextInt(10)) {
                case 0 -> "/users/" + urlEncode(pick(SQL_INJECTIONS));
                case 1 -> "/users?q=" + urlEncode(pick(SQL_INJECTIONS)) + "&limit=" + urlEncode(pick(ODD_STRINGS)) + "&after=" + urlEncode(pick(SQL_INJECTIONS));
                case 2 -> "/admin/users?q=" + urlEncode(pick(ODD_STRINGS)) + "&limit=" + pick(List.of("0", "101", "-5", "1e2", "abc", "100", "1"));
                case 3 -> pick(List.of("/x/%00", "/users/%00", "/..", "/auth/../admin/users", "/users/..%2f..%2fadmin", "/%2e%2e/", "/users/%",
                        "/users/%zz", "/users//me", "/users/me/", "//health", "/health/", "/HEALTH", "/auth/login%20", "/auth/login;jsessionid=1",
                        "/users/me/sessions/-1", "/users/me/sessions/abc", "/users/%ff%fe", "/users/%c0%ae%c0%ae"));
                case 4 -> "/" + "a/".repeat(1 + random.nextInt(4_000));
                case 5 -> "/users/" + pick(List.of("-1", "0", "99999999999999999999", "9223372036854775807", "9223372036854775808", "1.0", "0x1", "１"));
                case 6 -> "/auth/login?password=" + MARKER + "&refresh_token=" + MARKER;
                case 7 -> "/users?" + "q=a&".repeat(1 + random.nextInt(2_000));
                case 8 -> pick(List.of("/users?q=", "/admin/users?q=", "/users?limit=", "/users?after=", "/users?")) + pick(List.of("%zz", "%", "%c0",
                        "%ff%fe", "%2", "%00", "%ed%a0%80", "a=b=c", "&&&", "=", "q", "%u0041", "+%2B+")) + (random.nextBoolean() ? "" : "&q=" + urlEncode(pick(ODD_STRINGS)));
                default -> "/" + urlEncode(pick(ODD_STRINGS));
            };
            Map<String, String> headers = new LinkedHashMap<>();
            maybeAuthorize(headers);
            String method = pick(List.of("GET", "GET", "POST", "DELETE", "PATCH"));
            byte[] body = method.equals("GET") ? null : hostileObject(pick(ENDPOINTS));
            if (body != null) headers.put("Content-Type", "application/json");
            return request(n, "odd path", method, path, headers, body, false);
        }

        private Case oddMethod(int n) {
            String method = pick(List.of("PUT", "HEAD", "OPTIONS", "TRACE", "FOO", "PROPFIND", "MKCOL", "get", "Post", "BREW", "X".repeat(100), "QUERY"));
            Endpoint e = pick(ENDPOINTS);
            Map<String, String> headers = new LinkedHashMap<>();
            if (random.nextBoolean()) headers.put("Origin", pick(List.of("http://localhost:4200", "http://evil.example", "null")));
            if (random.nextBoolean()) headers.put("Access-Control-Request-Method", pick(List.of("POST", "DELETE", "FOO")));
            maybeAuthorize(headers);
            byte[] body = random.nextBoolean() ? hostileObject(e) : null;
            if (body != null) headers.put("Content-Type", contentType());
            return request(n, method.equals("HEAD") ? "HEAD" : "odd method", method, target(e), headers, body, false);
        }

        private Case oddHeaders(int n) {
            Endpoint e = pick(ENDPOINTS);
            Map<String, String> headers = new LinkedHashMap<>();
            switch (random.nextInt(7)) {
                case 0 -> headers.put("X-Big", "h".repeat(16_500 + random.nextInt(20_000)));
                case 1 -> {
                    for (int i = 0; i < 100 + random.nextInt(200); i++) headers.put("X-H" + i, "v" + i);
                }
                case 2 -> headers.put("X-Request-Id", pick(ODD_STRINGS).replaceAll("[\\r\\n\\x00-\\x1f\\x7f]", "").replaceAll("[^\\x20-\\xff]", "?"));
                case 3 -> headers.put("X-Forwarded-For", pick(List.of("' OR 1=1 --", "1.2.3.4, 5.6.7.8", "", ",,,", "::1", "999.999.999.999", "a".repeat(300))));
                case 4 -> headers.put("Content-Length", pick(List.of("-1", "abc", "99999999999999999999", "1 2")));
                case 5 -> headers.put("Origin", "http://" + "o".repeat(random.nextInt(3_000)) + ".example");
                default -> headers.put("Cookie", "JSESSIONID=" + pick(SQL_INJECTIONS).replaceAll("[^\\x21-\\x7e]", "_") + "; x=" + MARKER);
            }
            if (!headers.containsKey("Content-Length")) headers.put("Content-Type", contentType());
            maybeAuthorize(headers);
            byte[] body = headers.containsKey("Content-Length") ? null : hostileObject(e);
            return request(n, "odd headers", e.method(), target(e), headers, body, false);
        }

        private Case tokenAttack(int n) {
            Endpoint e = pick(List.of(ENDPOINTS.get(5), ENDPOINTS.get(6), ENDPOINTS.get(9), ENDPOINTS.get(11), ENDPOINTS.get(13), ENDPOINTS.get(14)));
            String valid = pick(accessTokens);
            String[] parts = valid.split("\\.");
            long now = Instant.now().getEpochSecond();
            String claims = "{\"iss\":\"latchkey\",\"sub\":\"1\",\"sid\":1,\"role\":\"admin\",\"iat\":" + now + ",\"exp\":" + (now + 600) + "}";
            String token = switch (random.nextInt(14)) {
                case 0 -> unsigned("{\"alg\":\"none\",\"typ\":\"JWT\"}", claims);
                case 1 -> signed("HS512", claims, Harness.SECRET);
                case 2 -> signed("HS384", claims, Harness.SECRET);
                case 3 -> signed("HS256", claims, "a-different-secret-that-is-long-enough-0123456789");
                case 4 -> parts[0] + "." + b64(claims) + "." + parts[2];
                case 5 -> parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2) + "AA";
                case 6 -> parts[0] + "." + parts[1];
                case 7 -> valid + "." + valid;
                case 8 -> MARKER + pick(SQL_INJECTIONS).replaceAll("[^\\x21-\\x7e]", "_");
                case 9 -> "a".repeat(1 + random.nextInt(15_000));
                case 10 -> signed("HS256", claims.replace("\"sub\":\"1\"", "\"sub\":\"" + pick(List.of("-1", "0", "abc", "1 OR 1=1", "99999999999999999999")) + "\""), Harness.SECRET);
                case 11 -> signed("HS256", claims.replace("\"iss\":\"latchkey\"", "\"iss\":\"evil\""), Harness.SECRET);
                case 12 -> signed("HS256", "{\"iss\":\"latchkey\",\"sub\":\"1\",\"sid\":\"" + pick(SQL_INJECTIONS) + "\",\"iat\":" + now + ",\"exp\":" + (now + 600) + "}", Harness.SECRET);
                default -> b64(pick(ODD_STRINGS)) + "." + b64(pick(JSON_VALUES)) + "." + b64(MARKER);
            };
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Authorization", pick(List.of("Bearer ", "bearer ", "BEARER ", "Bearer  ", "Token ", "")) + token);
            byte[] body = e.fields().isEmpty() ? null : hostileObject(e);
            if (body != null) headers.put("Content-Type", "application/json");
            return request(n, "token attack", e.method(), target(e), headers, body, false);
        }

        private void maybeAuthorize(Map<String, String> headers) {
            int r = random.nextInt(5);
            if (r <= 2) headers.put("Authorization", "Bearer " + pick(accessTokens));
            else if (r == 3) headers.put("Authorization", "Bearer " + MARKER + random.nextInt(1000));
        }

        private String target(Endpoint e) {
            // Ids 1 and 2 are the fuzzer's own accounts: admin routes and session ends aim elsewhere, to keep their tokens alive.
            String path = e.path().replace("{id}", pick(List.of("3", "4", "5", "999", "-1", "abc", "99999999999999999999", urlEncode(pick(SQL_INJECTIONS)))));
            path = path.replace("{message_id}", pick(List.of("1", "2", "3", "0", "-1", "abc", "99999999999999999999", urlEncode(pick(ODD_STRINGS)))));
            path = path.replace("{user_id}", pick(List.of("3", "4", "5", "999", "0", "abc", urlEncode(pick(SQL_INJECTIONS)))));
            if (path.startsWith("/rooms") && random.nextInt(3) == 0) {
                String param = pick(List.of("before", "after", "limit", "scope", "q"));
                return path + "?" + param + "=" + urlEncode(pick(ODD_STRINGS)) + "&scope=" + pick(List.of("public", "joined", "x"));
            }
            if (e.path().startsWith("/auth/refresh") || e.path().startsWith("/auth/logout")) {
                if (random.nextInt(4) == 0) return path + "?refresh_token=" + urlEncode(pick(refreshTokens));
            }
            if (random.nextInt(4) == 0) path += "?q=" + urlEncode(pick(SQL_INJECTIONS)) + "&limit=" + urlEncode(pick(ODD_STRINGS));
            return path;
        }

        private String contentType() {
            return pick(List.of("application/json", "application/json", "application/json", "application/json; charset=utf-8",
                    "application/json; charset=latin1", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=--x",
                    "application/xml", "a/b/c;;;", ";", "application/json;;charset", "*/*"));
        }

        private Case request(int n, String kind, String method, String target, Map<String, String> headers, byte[] body, boolean chunked) {
            // A valid token on logout-all would end the fuzzer's sessions and leave only 401s to find.
            if (target.contains("logout-all") && accessTokens.stream().anyMatch(t -> ("Bearer " + t).equals(headers.get("Authorization")))) {
                headers.put("Authorization", "Bearer " + MARKER);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: localhost\r\nConnection: close\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            boolean explicitLength = headers.containsKey("Content-Length");
            if (body != null && chunked) head.append("Transfer-Encoding: chunked\r\n");
            else if (body != null && !explicitLength) head.append("Content-Length: ").append(body.length).append("\r\n");
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null && chunked) {
                for (int i = 0; i < body.length; i += 8192) {
                    int len = Math.min(8192, body.length - i);
                    out.writeBytes((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body, i, len);
                    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } else if (body != null && !explicitLength) {
                out.writeBytes(body);
            }
            return new Case(n, kind, out.toByteArray());
        }

        private <T> T pick(List<T> list) {
            return list.get(random.nextInt(list.size()));
        }

        private byte[] randomBytes(int n) {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return b;
        }

        private static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] p : parts) out.writeBytes(p);
            return out.toByteArray();
        }

        private static String quote(String s) {
            return Api.JSON.getNodeFactory().textNode(s).toString();
        }

        private static String urlEncode(String s) {
            return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
        }

        private static String b64(String s) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
        }

        private static String unsigned(String header, String claims) {
            return b64(header) + "." + b64(claims) + ".";
        }

        private static String signed(String alg, String claims, String secret) {
            String signingInput = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + b64(claims);
            String mac = "Hmac" + alg.replace("HS", "SHA");
            try {
                Mac hmac = Mac.getInstance(mac);
                hmac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), mac));
                byte[] sig = hmac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
                return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
