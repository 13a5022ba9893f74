package latchkey.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object request body, read with the limits of the contract (64 KiB, application/json,
 * valid UTF-8 JSON), and the per-field errors found while reading it. Field readers return
 * {@code null} for an absent or JSON-null field and record a type error for a wrong type, so a
 * request record can be built in one pass and every bad field reported at once.
 */
public final class RequestBody {
    public static final int MAX_BYTES = 65_536;

    private final ObjectNode node;
    private final Map<String, String> errors = new LinkedHashMap<>();

    private RequestBody(ObjectNode node) {
        this.node = node;
    }

    public static RequestBody read(Context ctx) {
        requireMediaType(ctx.contentType(), "application/json");
        byte[] bytes = readLimited(ctx);
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw ApiException.malformedJson("The body is not valid JSON.");
        } catch (IOException e) {
            throw ApiException.malformedJson("The body could not be read.");
        }
        if (tree == null || tree.isMissingNode()) throw ApiException.malformedJson("The body is empty; send a JSON object.");
        if (!tree.isObject()) throw ApiException.validation(Map.of("body", "must be a JSON object"));
        return new RequestBody((ObjectNode) tree);
    }

    /**
     * A form post ({@code application/x-www-form-urlencoded}, UTF-8) as a flat object of strings,
     * with the same limits, so that an HTML page validates its fields exactly as the JSON route
     * does. A name sent twice keeps its first value.
     */
    public static RequestBody readForm(Context ctx) {
        requireMediaType(ctx.contentType(), "application/x-www-form-urlencoded");
        String form;
        try {
            form = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(readLimited(ctx))).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("The form is not valid UTF-8.");
        }
        ObjectNode node = Json.MAPPER.createObjectNode();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (!node.has(name)) node.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("The form is not valid URL encoding.");
            }
        }
        return new RequestBody(node);
    }

    /**
     * A before-handler for every route: a Content-Type whose charset parameter is broken or names
     * no known charset is 415. Javalin decodes query strings with that charset and fails with a
     * 500 on one it can not use, even on a GET that has no body to read.
     */
    public static void requireKnownCharset(Context ctx) {
        String contentType = ctx.header("Content-Type");
        if (contentType == null) return;
        for (String part : contentType.split(";")) {
            String param = part.trim();
            // Javalin takes any parameter that starts with "charset" for the charset; so do we.
            if (!param.regionMatches(true, 0, "charset", 0, "charset".length())) continue;
            int eq = param.indexOf('=');
            String name = eq < 0 ? "" : param.substring(eq + 1).trim();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) name = name.substring(1, name.length() - 1);
            if (!isSupported(name)) throw ApiException.unsupportedMediaType();
        }
    }

    private static boolean isSupported(String charset) {
        try {
            return !charset.isEmpty() && Charset.isSupported(charset);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }

    private static void requireMediaType(String contentType, String expected) {
        if (contentType == null) throw ApiException.unsupportedMediaType();
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(expected)) throw ApiException.unsupportedMediaType();
    }

    /** Reads at most one byte past the limit, whatever Content-Length claims (chunked bodies have none). */
    private static byte[] readLimited(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BYTES) throw ApiException.payloadTooLarge();
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) throw ApiException.payloadTooLarge();
            return bytes;
        } catch (IOException e) {
            throw ApiException.malformedJson("The body could not be read.");
        }
    }

    public boolean has(String field) {
        return node.has(field);
    }

    /** The string value of {@code field}; null when absent or null; a type error when it is not a string. */
    public String string(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) {
            reject(field, "must be a string");
            return null;
        }
        return value.textValue();
    }

    /** The boolean value of {@code field}; null when absent or null; a type error otherwise. */
    public Boolean bool(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isBoolean()) {
            reject(field, "must be true or false");
            return null;
        }
        return value.booleanValue();
    }

    /** A whole number that fits a long; null when absent or null; a type error otherwise (1.5, "1", 1e30). */
    public Long integer(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            reject(field, "must be a whole number");
            return null;
        }
        return value.longValue();
    }

    /**
     * An array of positive ids, duplicates dropped, in the order sent; null when absent or null;
     * an error when it is not such an array or is longer than {@code max}.
     */
    public List<Long> ids(String field, int max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isArray()) {
            reject(field, "must be an array of ids");
            return null;
        }
        if (value.size() > max) {
            reject(field, "must have at most " + max + " entries");
            return null;
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (JsonNode element : value) {
            if (!element.isIntegralNumber() || !element.canConvertToLong() || element.longValue() < 1) {
                reject(field, "must be an array of ids (positive whole numbers)");
                return null;
            }
            ids.add(element.longValue());
        }
        return List.copyOf(ids);
    }

    /** Records a problem with {@code field}; the first problem found for a field is the one reported. */
    public void reject(String field, String message) {
        errors.putIfAbsent(field, message);
    }

    public boolean isValid(String field) {
        return !errors.containsKey(field);
    }

    /** Throws {@code validation_failed} with every recorded field error, if there are any. */
    public void requireValid() {
        if (!errors.isEmpty()) throw ApiException.validation(errors);
    }
}
