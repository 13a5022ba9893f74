package latchkey.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import latchkey.http.Json;

import java.io.IOException;
import java.io.InputStream;

/**
 * A hand-written description of the API, a resource in the jar: GET /openapi.json (OpenAPI 3.1,
 * the HTTP routes) and GET /asyncapi.json (AsyncAPI 3.0, the WebSocket). Tests keep both in step
 * with the code.
 */
public final class ApiDocument {
    public static final String OPENAPI = "openapi.json";
    public static final String ASYNCAPI = "asyncapi.json";

    private final byte[] json;

    private ApiDocument(byte[] json) {
        this.json = json;
    }

    /** Reads and parses the document once, so that a broken resource stops the server at start, not at the first request. */
    public static ApiDocument load(String resource) {
        try (InputStream in = ApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the classpath");
            byte[] bytes = in.readAllBytes();
            JsonNode parsed = Json.MAPPER.readTree(bytes);
            if (parsed == null || !parsed.isObject()) throw new IllegalStateException(resource + " is not a JSON object");
            return new ApiDocument(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(resource + " can not be read: " + e.getMessage(), e);
        }
    }

    public void serve(Context ctx) {
        ctx.contentType("application/json").result(json);
    }
}
