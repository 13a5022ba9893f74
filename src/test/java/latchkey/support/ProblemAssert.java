package latchkey.support;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on problem documents (RFC 9457 with a {@code code}), the shape of every error. */
public final class ProblemAssert {
    private ProblemAssert() {
    }

    public static void assertProblem(Api.Res res, int status, String code) {
        assertProblem(res.status(), res.header("Content-Type"), res.body(), status, code);
    }

    public static void assertProblem(RawHttp.Res res, int status, String code) {
        assertProblem(res.status(), res.header("Content-Type"), res.text(), status, code);
    }

    private static void assertProblem(int actualStatus, String contentType, String body, int status, String code) {
        String what = actualStatus + " " + body;
        assertEquals(status, actualStatus, what);
        assertTrue(contentType != null && contentType.startsWith("application/problem+json"), "Content-Type " + contentType + ": " + what);
        JsonNode json = parse(body, what);
        assertEquals(status, json.path("status").asInt(), what);
        if (code != null) assertEquals(code, json.path("code").asText(), what);
        assertTrue(json.path("title").isTextual() && json.path("type").isTextual() && json.path("detail").isTextual(), what);
    }

    /** True when {@code body} is a problem document whose {@code status} is {@code status} and which has a code. */
    public static boolean isProblem(String contentType, String body, int status) {
        if (contentType == null || !contentType.startsWith("application/problem+json")) return false;
        try {
            JsonNode json = Api.JSON.readTree(body);
            return json.path("status").asInt() == status && json.path("code").isTextual() && !json.path("code").asText().isEmpty()
                    && json.path("title").isTextual();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static JsonNode parse(String body, String what) {
        try {
            return Api.JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + what, e);
        }
    }
}
