package latchkey.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** A real WebSocket client (the JDK's) on {@code GET /ws}: every text frame it receives, parsed, in order. */
public final class Ws implements WebSocket.Listener, AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(5);
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    public static Ws connect(Api api) {
        Ws ws = new Ws();
        URI uri = URI.create(api.base().replaceFirst("^http", "ws") + "/ws");
        ws.socket = CLIENT.newWebSocketBuilder().buildAsync(uri, ws).join();
        return ws;
    }

    /** Connects and authenticates; returns once {@code ready} arrived. */
    public static Ws open(Api api, String token) {
        Ws ws = connect(api);
        ws.auth(token);
        ws.next("ready");
        return ws;
    }

    public void auth(String token) {
        send(Api.json("type", "auth", "token", token));
    }

    public void auth(String token, Map<Long, Long> since) {
        StringBuilder rooms = new StringBuilder();
        since.forEach((room, seq) -> rooms.append(rooms.length() == 0 ? "" : ",").append('"').append(room).append("\":").append(seq));
        send("{\"type\":\"auth\",\"token\":\"" + token + "\",\"since\":{" + rooms + "}}");
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The next frame of {@code type}, skipping presence (which depends on who else is online). */
    public JsonNode next(String type) {
        return next(f -> f.path("type").asText().equals(type), "a " + type + " frame");
    }

    public JsonNode next(Predicate<JsonNode> wanted, String what) {
        return next(wanted, what, WAIT);
    }

    public JsonNode next(Predicate<JsonNode> wanted, String what, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<String> skipped = new ArrayList<>();
        while (true) {
            JsonNode frame = poll(deadline - System.nanoTime());
            if (frame == null) return fail("no " + what + " within " + wait + "; skipped " + skipped);
            if (wanted.test(frame)) return frame;
            String type = frame.path("type").asText();
            if (!type.equals("presence")) skipped.add(frame.toString());
        }
    }

    /** Every frame that arrives within {@code quiet}, presence left out. */
    public List<JsonNode> drain(Duration quiet) {
        List<JsonNode> got = new ArrayList<>();
        JsonNode frame;
        while ((frame = poll(quiet.toNanos())) != null) {
            if (!frame.path("type").asText().equals("presence")) got.add(frame);
        }
        return got;
    }

    public int awaitClose() {
        try {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return fail("the socket did not close within " + WAIT);
        }
    }

    public void assertClosedWith(int code) {
        assertEquals(code, awaitClose(), "close code");
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public JsonNode poll(long nanos) {
        try {
            return frames.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public static void assertError(JsonNode frame, String code) {
        assertNotNull(frame);
        assertEquals("error", frame.path("type").asText(), frame.toString());
        assertEquals(code, frame.path("code").asText(), frame.toString());
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                frames.add(Api.JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new AssertionError("the server sent a frame that is not JSON: " + partial, e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    @Override
    public void close() {
        if (!closed.isDone()) socket.abort();
    }
}
