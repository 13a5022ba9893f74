package latchkey;

import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.RawHttp;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static latchkey.support.Api.json;
import static latchkey.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets a clear 4xx problem document, never a 500 and never a framework page. */
class BadInputTest {
    private static final Map<String, String> JSON_TYPE = Map.of("Content-Type", "application/json");
    private static final int LIMIT = 65_536;

    /** A register body for {@code email}, padded with trailing spaces (valid JSON) to exactly {@code size} bytes. */
    private static byte[] registerBody(String email, int size) {
        byte[] body = json("email", email, "password", Harness.PASSWORD).getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(body, size);
        Arrays.fill(padded, body.length, size, (byte) ' ');
        return padded;
    }

    @Test
    void aBodyOfExactly64KiBIsRead() {
        Harness.test((api, ctx) -> {
            var res = api.raw("POST", "/auth/register", JSON_TYPE, registerBody("exact@example.com", LIMIT));
            assertEquals(201, res.status(), res.body());
            var chunked = RawHttp.of(api).chunked("POST", "/auth/register", JSON_TYPE, registerBody("chunked@example.com", LIMIT), 4096);
            assertEquals(201, chunked.status(), chunked.toString());
        });
    }

    @Test
    void aBodyOneByteOver64KiBIs413WithContentLength() {
        Harness.test((api, ctx) -> {
            var res = RawHttp.of(api).request("POST", "/auth/register", JSON_TYPE, registerBody("over@example.com", LIMIT + 1));
            assertProblem(res, 413, "payload_too_large");
            assertEquals(401, api.login("over@example.com", Harness.PASSWORD).status(), "the user must not exist");
        });
    }

    @Test
    void aChunkedBodyOver64KiBIs413() {
        Harness.test((api, ctx) -> {
            RawHttp raw = RawHttp.of(api);
            assertProblem(raw.chunked("POST", "/auth/register", JSON_TYPE, registerBody("c1@example.com", LIMIT + 1), 4096),
                    413, "payload_too_large");
            assertProblem(raw.chunked("POST", "/auth/login", JSON_TYPE, registerBody("c2@example.com", 1 << 20), 8192),
                    413, "payload_too_large");
            assertEquals(401, api.login("c1@example.com", Harness.PASSWORD).status(), "the user must not exist");
        });
    }

    @Test
    void aContentLengthFarOverTheLimitIsRefusedWithoutReadingTheBody() {
        Harness.test((api, ctx) -> {
            byte[] head = ("POST /auth/login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1);
            assertProblem(RawHttp.of(api).exchange(head), 413, "payload_too_large");
        });
    }

    @Test
    void otherMediaTypesAre415() {
        Harness.test((api, ctx) -> {
            byte[] body = json("email", "a@example.com", "password", Harness.PASSWORD).getBytes(StandardCharsets.UTF_8);
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                    "application/xml", "application/jsonx", "application/json-patch+json", "json", "")) {
                assertProblem(api.raw("POST", "/auth/login", Map.of("Content-Type", type), body), 415, "unsupported_media_type");
            }
            assertProblem(api.raw("POST", "/auth/login", Map.of(), body), 415, "unsupported_media_type");
        });
    }

    @Test
    void jsonWithParametersOrInUpperCaseIsAccepted() {
        Harness.test((api, ctx) -> {
            var first = api.raw("POST", "/auth/register", Map.of("Content-Type", "application/json; charset=utf-8"),
                    json("email", "p1@example.com", "password", Harness.PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertEquals(201, first.status(), first.body());
            var second = api.raw("POST", "/auth/register", Map.of("Content-Type", "Application/JSON;charset=UTF-8"),
                    json("email", "p2@example.com", "password", Harness.PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertEquals(201, second.status(), second.body());
        });
    }

    @Test
    void malformedJsonIs400MalformedJson() {
        Harness.test((api, ctx) -> {
            for (String body : List.of("", " ", "{", "{\"email\":", "{\"email\" \"a\"}", "{'email':'a'}", "{\"email\":\"a\",}",
                    "nul", "{\"a\":1}}", "{\"a\":01}", "{\"a\":NaN}", "\"unterminated", "{\"a\":\"\\x\"}")) {
                assertProblem(api.raw("POST", "/auth/login", JSON_TYPE, body.getBytes(StandardCharsets.UTF_8)), 400, "malformed_json");
            }
        });
    }

    @Test
    void aRawNulInsideAStringIsMalformed() {
        Harness.test((api, ctx) -> {
            byte[] body = "{\"email\":\"a\u0000b@example.com\",\"password\":\"correct horse\"}".getBytes(StandardCharsets.UTF_8);
            assertProblem(api.raw("POST", "/auth/register", JSON_TYPE, body), 400, "malformed_json");
        });
    }

    @Test
    void anEscapedNulOrLoneSurrogateInEmailOrUsernameIsAValidationError() {
        Harness.test((api, ctx) -> {
            var res = api.raw("POST", "/auth/register", JSON_TYPE,
                    "{\"email\":\"a\\u0000b@example.com\",\"username\":\"x\\ud800y\",\"password\":\"correct horse\"}".getBytes(StandardCharsets.UTF_8));
            assertProblem(res, 400, "validation_failed");
            assertEquals(Set.of("email", "username"), fields(res));
        });
    }

    @Test
    void invalidUtf8IsMalformed() {
        Harness.test((api, ctx) -> {
            for (byte[] bad : List.of(new byte[]{(byte) 0xff, (byte) 0xfe}, new byte[]{(byte) 0xc3, (byte) 0x28},
                    new byte[]{(byte) 0xe2, (byte) 0x82}, new byte[]{(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                    new byte[]{(byte) 0xc0, (byte) 0xaf})) {
                byte[] head = "{\"email\":\"a".getBytes(StandardCharsets.UTF_8);
                byte[] tail = "@example.com\",\"password\":\"correct horse\"}".getBytes(StandardCharsets.UTF_8);
                byte[] body = new byte[head.length + bad.length + tail.length];
                System.arraycopy(head, 0, body, 0, head.length);
                System.arraycopy(bad, 0, body, head.length, bad.length);
                System.arraycopy(tail, 0, body, head.length + bad.length, tail.length);
                assertProblem(api.raw("POST", "/auth/register", JSON_TYPE, body), 400, "malformed_json");
            }
        });
    }

    @Test
    void validJsonThatIsNotAnObjectOrHasWrongTypesIsAValidationError() {
        Harness.test((api, ctx) -> {
            for (String body : List.of("[]", "[{\"email\":\"a@b.c\"}]", "\"text\"", "42", "true", "null")) {
                assertProblem(api.raw("POST", "/auth/login", JSON_TYPE, body.getBytes(StandardCharsets.UTF_8)), 400, "validation_failed");
            }
            var res = api.post("/auth/register", "{\"email\":42,\"password\":[\"x\"],\"name\":{\"a\":1},\"username\":true}");
            assertProblem(res, 400, "validation_failed");
            assertEquals(Set.of("email", "password", "name", "username"), fields(res));
        });
    }

    @Test
    void deeplyNestedJsonIsRefusedCheaply() {
        Harness.test((api, ctx) -> {
            String deep = "{\"email\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}";
            assertProblem(api.post("/auth/login", deep), 400, null);
            String deepObjects = "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000);
            assertProblem(api.post("/auth/login", deepObjects), 400, null);
            assertEquals(200, api.get("/health").status());
        });
    }

    @Test
    void absurdIdsInPathsAreNotFound() {
        Harness.test((api, ctx) -> {
            String token = api.signUp("ids@example.com").accessToken();
            for (String id : List.of("-1", "0", "abc", "99999999999999999999", "1e3", "0x10", "%20", "1%00", "1;drop", "' OR 1=1 --")) {
                String path = "/users/" + id.replace(" ", "%20").replace("'", "%27").replace(";", "%3B");
                var res = api.get(path, token);
                assertTrue(res.status() == 400 || res.status() == 404, path + " -> " + res);
                assertProblem(res, res.status(), null);
            }
            assertProblem(api.get("/users/99999999999999999999", token), 404, "not_found");
            assertProblem(api.send("PATCH", "/admin/users/-1", "{}", token), 403, "forbidden");
        });
    }

    @Test
    void wrongAndUnknownMethodsAre405WithAllow() {
        Harness.test((api, ctx) -> {
            var put = api.send("PUT", "/users/me", "{}", null);
            assertProblem(put, 405, "method_not_allowed");
            assertEquals(Set.of("GET", "PATCH", "DELETE"), methods(put.header("Allow")));
            var deleteHealth = api.send("DELETE", "/health", null, null);
            assertProblem(deleteHealth, 405, "method_not_allowed");
            assertEquals(Set.of("GET"), methods(deleteHealth.header("Allow")));
            var getLogin = api.get("/auth/login");
            assertProblem(getLogin, 405, "method_not_allowed");
            assertEquals(Set.of("POST"), methods(getLogin.header("Allow")));

            RawHttp raw = RawHttp.of(api);
            for (String method : List.of("FOO", "PROPFIND", "BREW", "TRACE", "get")) {
                var res = raw.request(method, "/users/me", Map.of(), null);
                assertProblem(res, 405, "method_not_allowed");
                assertNotNull(res.header("Allow"), method + ": " + res);
            }
        });
    }

    @Test
    void pathsTheHttpLayerRefusesAreProblems() {
        Harness.test((api, ctx) -> {
            RawHttp raw = RawHttp.of(api);
            for (String path : List.of("/x/%00", "/users/%00", "/auth/../admin/users", "/users/..%2fadmin", "/%2e%2e/etc/passwd",
                    "/users/me/..", "/a%2fb", "/x/%zz", "/x/%", "/users/%c0%ae%c0%ae/")) {
                var res = raw.request("GET", path, Map.of(), null);
                assertTrue(res.status() >= 400 && res.status() < 500, path + " -> " + res);
                assertProblem(res, res.status(), null);
                assertEquals("nosniff", res.header("X-Content-Type-Options"), path);
            }
            assertProblem(raw.request("GET", "/no/such/route", Map.of(), null), 404, "not_found");
        });
    }

    @Test
    void aBrokenCharsetParameterIsRefusedOnEveryRoute() {
        Harness.test((api, ctx) -> {
            String token = api.signUp("charset@example.com").accessToken();
            byte[] body = json("email", "charset@example.com", "password", Harness.PASSWORD).getBytes(StandardCharsets.UTF_8);
            for (String type : List.of("application/json;;charset", "application/json; charset", "application/json; charset=",
                    "application/json; charset=no-such-charset", "application/json; charset=\"\"", "application/json; charsetx=1",
                    "text/plain; charset=%%")) {
                var search = api.raw("GET", "/users?q=c", Map.of("Content-Type", type, "Authorization", "Bearer " + token), body);
                assertProblem(search, 415, "unsupported_media_type");
                assertProblem(api.raw("POST", "/auth/login", Map.of("Content-Type", type), body), 415, "unsupported_media_type");
            }
            var quoted = api.raw("POST", "/auth/login", Map.of("Content-Type", "application/json; charset=\"UTF-8\""), body);
            assertEquals(200, quoted.status(), quoted.body());
        });
    }

    @Test
    void badPercentEncodingInTheQueryIsAProblem() {
        Harness.test((api, ctx) -> {
            String token = api.signUp("query@example.com").accessToken();
            RawHttp raw = RawHttp.of(api);
            for (String query : List.of("q=%zz", "q=%", "q=%c0", "q=%ff%fe", "limit=%", "after=%2", "%=1", "q=a%00b", "q=%ed%a0%80")) {
                var res = raw.request("GET", "/users?" + query, Map.of("Authorization", "Bearer " + token), null);
                assertTrue(res.status() == 200 || res.status() == 400, query + " -> " + res);
                if (res.status() == 400) assertProblem(res, 400, null);
            }
        });
    }

    @Test
    void headersUpTo16KiBAreAcceptedAndLargerOnesAre431() {
        Harness.test((api, ctx) -> {
            RawHttp raw = RawHttp.of(api);
            var fits = raw.request("GET", "/health", Map.of("X-Padding", "a".repeat(15 * 1024)), null);
            assertEquals(200, fits.status(), fits.toString());
            assertProblem(raw.request("GET", "/health", Map.of("X-Padding", "a".repeat(17 * 1024)), null), 431, "headers_too_large");
            assertProblem(raw.request("GET", "/users/me", Map.of("Authorization", "Bearer " + "a".repeat(64 * 1024)), null),
                    431, "headers_too_large");
            assertEquals(200, api.get("/health").status());
        });
    }

    @Test
    void brokenFramingIsAProblem() {
        Harness.test((api, ctx) -> {
            RawHttp raw = RawHttp.of(api);
            String[] requests = {
                    "POST /auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: abc\r\n\r\n{}",
                    "POST /auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
                    "POST /auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                    "POST /auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
                    "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nBad Header Name: v\r\n\r\n",
                    "GET /health HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n",
                    "CONNECT /users/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            };
            for (String request : requests) {
                var res = raw.exchange(request.getBytes(StandardCharsets.ISO_8859_1));
                assertTrue(res.status() >= 400 && res.status() != 500, request + " -> " + res);
                assertProblem(res, res.status(), null);
            }
            assertEquals(200, api.get("/health").status());
        });
    }

    private static Set<String> fields(Api.Res res) {
        Set<String> names = new TreeSet<>();
        res.json().path("errors").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> methods(String allow) {
        assertNotNull(allow, "Allow header");
        Set<String> set = new TreeSet<>();
        for (String m : allow.split(",")) {
            String name = m.trim();
            if (!name.isEmpty() && !name.equals("OPTIONS") && !name.equals("HEAD")) set.add(name);
        }
        return set;
    }
}
