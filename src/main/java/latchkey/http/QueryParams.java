package latchkey.http;

import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The query parameters of a list route, read in the style of {@link RequestBody}: each reader
 * records what is wrong with its parameter and {@link #requireValid()} reports all of them at once.
 */
public final class QueryParams {
    private final Context ctx;
    private final Map<String, String> errors = new LinkedHashMap<>();

    private QueryParams(Context ctx) {
        this.ctx = ctx;
    }

    public static QueryParams of(Context ctx) {
        return new QueryParams(ctx);
    }

    /** {@code limit}, 1 to {@code max}; {@code fallback} when absent. */
    public int limit(int fallback, int max) {
        String raw = ctx.queryParam("limit");
        if (raw == null) return fallback;
        long value = parse(raw);
        if (value < 1 || value > max) {
            reject("limit", "must be a whole number from 1 to " + max);
            return fallback;
        }
        return (int) value;
    }

    /** A non-negative whole number (a sequence number); null when absent. */
    public Long seq(String name) {
        String raw = ctx.queryParam(name);
        if (raw == null) return null;
        long value = parse(raw);
        if (value < 0) {
            reject(name, "must be a whole number from 0");
            return null;
        }
        return value;
    }

    /** A plain text parameter of at most {@code max} characters without control characters; null when absent or empty. */
    public String text(String name, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) return null;
        if (Text.length(raw) > max || !Text.isCleanLine(raw)) {
            reject(name, "must be at most " + max + " characters, without control characters");
            return null;
        }
        return raw;
    }

    /** One of {@code allowed}; {@code fallback} when absent. */
    public String oneOf(String name, String fallback, String... allowed) {
        String raw = ctx.queryParam(name);
        if (raw == null) return fallback;
        for (String value : allowed) {
            if (value.equals(raw)) return value;
        }
        reject(name, "must be one of " + String.join(", ", allowed));
        return fallback;
    }

    /** The decoded text of an opaque cursor ({@link #cursor(String)}); null when absent or empty. */
    public String cursor(String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) return null;
        try {
            return new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            reject(name, "must be a cursor returned as next");
            return null;
        }
    }

    /** Makes the opaque {@code next} cursor of a page from the position it stands for. */
    public static String cursorOf(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    public void reject(String name, String message) {
        errors.putIfAbsent(name, message);
    }

    public void requireValid() {
        if (!errors.isEmpty()) throw ApiException.validation(errors);
    }

    private static long parse(String raw) {
        if (raw.isEmpty() || raw.length() > 18 || !raw.chars().allMatch(c -> c >= '0' && c <= '9')) return -1;
        return Long.parseLong(raw);
    }
}
