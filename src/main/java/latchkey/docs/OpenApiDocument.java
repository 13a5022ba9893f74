package latchkey.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import latchkey.http.Json;

import java.io.IOException;
import java.io.InputStream;

/**
 * GET /openapi.json: the hand-written OpenAPI 3.1 document of the API, a resource in the jar.
 * Tests keep it in step with the routes in {@code Main}.
 */
public final class OpenApiDocument {
    static final String RESOURCE = "openapi.json";

    private final byte[] json;

    private OpenApiDocument(byte[] json) {
        this.json = json;
    }

    /** Reads and parses the document once, so that a broken resource stops the server at start, not at the first request. */
    public static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            byte[] bytes = in.readAllBytes();
            JsonNode parsed = Json.MAPPER.readTree(bytes);
            if (parsed == null || !parsed.isObject()) throw new IllegalStateException(RESOURCE + " is not a JSON object");
            return new OpenApiDocument(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(RESOURCE + " can not be read: " + e.getMessage(), e);
        }
    }

    public void serve(Context ctx) {
        ctx.contentType("application/json").result(json);
    }
}
