package latchkey.docs;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.support.Api;
import latchkey.support.Harness;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /asyncapi.json is served, is an AsyncAPI 3.0 document whose references resolve, and names every
 * frame type the realtime code sends or accepts and every close code it uses.
 */
class AsyncApiDocumentTest {
    private static final Path REALTIME = Path.of("src/main/java/latchkey/realtime");

    @Test
    void itIsServedPublicly() {
        Harness.test((api, ctx) -> {
            Api.Res res = api.get("/asyncapi.json");
            assertEquals(200, res.status());
            assertEquals("3.0.0", res.json().get("asyncapi").asText());
            assertTrue(api.get("/docs").body().contains("/asyncapi.json"), "linked from /docs");
        });
    }

    @Test
    void everyReferenceResolvesAndEveryOperationUsesTheChannel() throws IOException {
        JsonNode doc = document();
        Set<String> refs = new TreeSet<>();
        collectRefs(doc, refs);
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/"), ref);
            assertTrue(!doc.at(ref.substring(1).replace("~1", "/")).isMissingNode(), "unresolved " + ref);
        }
        for (JsonNode operation : doc.get("operations")) {
            assertEquals("#/channels/ws", operation.at("/channel/$ref").asText());
            assertTrue(Set.of("send", "receive").contains(operation.get("action").asText()));
        }
        assertEquals("/ws", doc.at("/channels/ws/address").asText());
    }

    @Test
    void everyFrameTypeOfTheCodeIsDescribed() throws IOException {
        Set<String> documented = new HashSet<>();
        for (JsonNode message : document().at("/components/messages")) {
            documented.add(message.at("/payload/properties/type/const").asText());
        }
        Set<String> inCode = new TreeSet<>();
        // The type names the server writes (Frames) and the ones the endpoint accepts.
        Matcher sent = Pattern.compile("\"((?:message|room|member)\\.[a-z]+|ready|error|pong|resync|read|typing|presence|auth|ping)\"")
                .matcher(Files.readString(REALTIME.resolve("Frames.java")) + Files.readString(REALTIME.resolve("Hub.java"))
                        + Files.readString(REALTIME.resolve("RealtimeEndpoint.java"))
                        + Files.readString(Path.of("src/main/java/latchkey/messages/MessageEvent.java")));
        while (sent.find()) inCode.add(sent.group(1));
        assertTrue(inCode.size() >= 17, "found " + inCode);
        Set<String> missing = new TreeSet<>(inCode);
        missing.removeAll(documented);
        assertTrue(missing.isEmpty(), "frame types not in asyncapi.json: " + missing);
    }

    @Test
    void everyCloseCodeIsDescribed() throws IOException {
        String description = document().at("/info/description").asText();
        Matcher codes = Pattern.compile("= (\\d{4});").matcher(Files.readString(REALTIME.resolve("CloseCodes.java")));
        int found = 0;
        while (codes.find()) {
            found++;
            assertTrue(description.contains(codes.group(1)), "close code " + codes.group(1) + " is not described");
        }
        assertEquals(7, found);
    }

    private static JsonNode document() throws IOException {
        try (InputStream in = AsyncApiDocumentTest.class.getClassLoader().getResourceAsStream(ApiDocument.ASYNCAPI)) {
            return Api.JSON.readTree(in);
        }
    }

    private static void collectRefs(JsonNode node, Set<String> refs) {
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (name.equals("$ref")) refs.add(node.get(name).asText());
                else collectRefs(node.get(name), refs);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) collectRefs(item, refs);
        }
    }
}
