package latchkey;

import latchkey.support.Harness;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorsTest {
    private static final Map<String, String> PREFLIGHT = Map.of(
            "Origin", "http://localhost:8100",
            "Access-Control-Request-Method", "POST",
            "Access-Control-Request-Headers", "authorization,content-type");

    @Test
    void aPreflightFromAConfiguredOriginIsAnswered() {
        Harness.test((api, ctx) -> {
            var res = api.raw("OPTIONS", "/auth/login", PREFLIGHT, null);
            assertEquals(204, res.status(), res.body());
            assertEquals("http://localhost:8100", res.header("Access-Control-Allow-Origin"));
            String allowed = res.header("Access-Control-Allow-Headers");
            assertTrue(allowed.contains("Authorization") && allowed.contains("Content-Type"), allowed);
            assertTrue(res.header("Access-Control-Allow-Methods").contains("PATCH"));
            assertEquals(204, api.raw("OPTIONS", "/users/me", PREFLIGHT, null).status(), "protected routes too: no token in a preflight");
        });
    }

    @Test
    void otherOriginsGetNoAllowOrigin() {
        Harness.test((api, ctx) -> {
            var res = api.raw("OPTIONS", "/auth/login", Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "POST"), null);
            assertNull(res.header("Access-Control-Allow-Origin"));
            var get = api.raw("GET", "/health", Map.of("Origin", "https://evil.example"), null);
            assertNull(get.header("Access-Control-Allow-Origin"));
            assertEquals("Origin", get.header("Vary"));
        });
    }

    @Test
    void errorsCarryCorsHeadersSoTheAppCanReadThem() {
        Harness.test((api, ctx) -> {
            for (var res : new latchkey.support.Api.Res[]{
                    api.raw("GET", "/users/me", Map.of("Origin", "http://localhost:4200"), null),
                    api.raw("GET", "/nowhere", Map.of("Origin", "http://localhost:4200"), null),
                    api.raw("POST", "/auth/login", Map.of("Origin", "http://localhost:4200", "Content-Type", "application/json"), "{".getBytes())}) {
                assertTrue(res.status() >= 400, res.body());
                assertEquals("http://localhost:4200", res.header("Access-Control-Allow-Origin"), res.toString());
                assertEquals("Origin", res.header("Vary"));
            }
        });
    }

    @Test
    void aWildcardAllowsAnyOriginButEchoesIt() {
        Harness.test(Map.of("cors.origins", "*"), (api, ctx) -> {
            var res = api.raw("GET", "/health", Map.of("Origin", "https://app.example"), null);
            assertEquals("https://app.example", res.header("Access-Control-Allow-Origin"));
        });
    }
}
