package latchkey.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestLogTest {
    @Test
    void everyLineIsWrittenOnceAndInOrderByClose() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RequestLog log = new RequestLog(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int n = 20_000; // more than one batch, so that some are written before close
        for (int i = 0; i < n; i++) log.log("GET", "/users/" + i, 200, 0.25f, "id-" + i);
        log.close();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(n, lines.length);
        for (int i = 0; i < n; i++) {
            assertTrue(lines[i].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4} INFO latchkey\\.requests - GET /users/" + i + " 200 0\\.3ms id=id-" + i), lines[i]);
        }
    }

    @Test
    void aLineAfterCloseIsWrittenAtOnce() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RequestLog log = new RequestLog(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        log.log("POST", "/auth/login", 401, 12.04f, "abc");
        log.close();
        log.log("GET", "/health", 200, 1f, "def");
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("POST /auth/login 401 12.0ms id=abc\n"), text);
        assertTrue(text.endsWith("GET /health 200 1.0ms id=def\n"), text);
    }
}
