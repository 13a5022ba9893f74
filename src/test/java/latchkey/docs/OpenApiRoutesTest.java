package latchkey.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.security.Roles;
import latchkey.auth.Access;
import latchkey.http.ApiException;
import latchkey.support.Harness;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-written document and the routes registered in {@code Main} can not drift apart. */
class OpenApiRoutesTest {
    /** The docs page and the recovery pages are HTML for people, not part of the API the document describes. */
    private static final Set<String> NOT_API = Set.of("GET /docs", "GET /docs/{asset}",
            "GET /reset-password", "POST /reset-password", "GET /verify-email", "POST /verify-email");
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String ADMIN_FORBIDDEN = "#/components/responses/Forbidden";
    private static final String ROOM_FORBIDDEN = "#/components/responses/RoomForbidden";
    private static final String EMAIL_NOT_VERIFIED = "#/components/responses/EmailNotVerified";

    /** Each registered route, as "METHOD /path", with its access role. */
    static Map<String, Access> registeredRoutes(Javalin app) {
        Map<String, Access> routes = new TreeMap<>();
        app.unsafe.internalRouter.allHttpHandlers().forEach(parsed -> {
            var endpoint = parsed.endpoint;
            if (!endpoint.method.isHttpMethod()) return;
            String route = endpoint.method.name() + " " + endpoint.path;
            if (NOT_API.contains(route)) return;
            Roles roles = endpoint.metadata(Roles.class);
            Set<?> set = roles == null ? Set.of() : roles.getRoles();
            // Main's rule: a route is protected unless it says PUBLIC.
            Access access = set.contains(Access.PUBLIC) ? Access.PUBLIC : set.contains(Access.ADMIN) ? Access.ADMIN : Access.USER;
            routes.put(route, access);
        });
        // A WebSocket is an HTTP GET that upgrades; it is in the document as such.
        app.unsafe.internalRouter.allWsHandlers().forEach(ws -> {
            if (ws.getType() != io.javalin.websocket.WsHandlerType.WEBSOCKET) return;
            Set<?> set = ws.getRoles();
            routes.put("GET " + ws.getPath(), set.contains(Access.PUBLIC) ? Access.PUBLIC : Access.USER);
        });
        return routes;
    }

    /** Each documented operation, as "METHOD /path", with the operation. */
    static Map<String, JsonNode> documentedOperations(JsonNode doc) {
        Map<String, JsonNode> operations = new TreeMap<>();
        doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (HTTP_METHODS.contains(op.getKey())) operations.put(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue());
        }));
        return operations;
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteExists() {
        Harness.test((api, ctx) -> {
            Map<String, Access> routes = registeredRoutes(ctx.app());
            Map<String, JsonNode> documented = documentedOperations(api.get("/openapi.json").json());
            assertTrue(routes.size() > 10, "the routes were not found: " + routes);
            Set<String> undocumented = new TreeSet<>(routes.keySet());
            undocumented.removeAll(documented.keySet());
            Set<String> phantom = new TreeSet<>(documented.keySet());
            phantom.removeAll(routes.keySet());
            assertTrue(undocumented.isEmpty() && phantom.isEmpty(),
                    "routes missing from openapi.json: " + undocumented + "; in openapi.json but not in Main: " + phantom);
        });
    }

    @Test
    void publicRoutesNeedNoTokenAndEveryOtherRouteNeedsTheBearerToken() {
        Harness.test((api, ctx) -> {
            JsonNode doc = api.get("/openapi.json").json();
            assertTrue(doc.at("/security/0").has("bearerAuth"), "protected unless an operation says security: []");
            Map<String, JsonNode> documented = documentedOperations(doc);
            registeredRoutes(ctx.app()).forEach((route, access) -> {
                JsonNode op = documented.get(route);
                JsonNode security = op.get("security");
                boolean documentedPublic = security != null && security.isEmpty();
                assertEquals(access == Access.PUBLIC, documentedPublic, route + " is " + access + " in Main");
                JsonNode responses = op.get("responses");
                if (access != Access.PUBLIC) assertTrue(responses.has("401"), route + " documents no 401");
                // The admin 403 is documented exactly on admin routes; the other 403s are a refusal of their
                // own: a room's rules (owner, admin, member, sender) on protected routes, login's email_not_verified.
                String forbidden = responses.path("403").path("$ref").asText(responses.has("403") ? "inline" : "none");
                assertEquals(access == Access.ADMIN, forbidden.equals(ADMIN_FORBIDDEN), route + ": the admin 403 is documented exactly on admin routes");
                if (access != Access.ADMIN) {
                    assertTrue(forbidden.equals("none") || (access == Access.USER && forbidden.equals(ROOM_FORBIDDEN))
                                    || forbidden.equals(EMAIL_NOT_VERIFIED),
                            route + " documents a 403 other than a room's rules or email_not_verified: " + forbidden);
                }
            });
        });
    }

    @Test
    void operationIdsAreUniqueAndReadable() {
        Harness.test((api, ctx) -> {
            Set<String> ids = new TreeSet<>();
            documentedOperations(api.get("/openapi.json").json()).forEach((route, op) -> {
                String id = op.path("operationId").asText("");
                assertTrue(id.matches("[a-z][A-Za-z]+"), route + " has operationId '" + id + "'");
                assertTrue(ids.add(id), "operationId " + id + " is used twice");
            });
            assertTrue(ids.containsAll(Set.of("register", "login", "refreshToken", "logout", "logoutAll", "getMe", "updateMe",
                    "deleteMe", "changePassword", "listSessions", "endSession", "searchUsers", "getUser",
                    "adminListUsers", "adminUpdateUser", "adminDeleteUser", "health",
                    "listRooms", "createRoom", "openDirectRoom", "getRoom", "updateRoom", "deleteRoom", "joinRoom", "leaveRoom",
                    "listMembers", "putMember", "removeMember", "listMessages", "sendMessage", "getMessage", "editMessage",
                    "deleteMessage", "markRead", "sendTyping",
                    "requestPasswordReset", "confirmPasswordReset", "verifyEmail", "confirmEmailChange",
                    "requestEmailChange", "resendVerificationEmail")), ids.toString());
        });
    }

    @Test
    void theDocumentedProblemCodesAreExactlyTheCodesTheServerSends() throws Exception {
        Set<String> sent = new TreeSet<>();
        for (Method factory : ApiException.class.getDeclaredMethods()) {
            if (!Modifier.isStatic(factory.getModifiers()) || !Modifier.isPublic(factory.getModifiers())
                    || factory.getReturnType() != ApiException.class) continue;
            List<Object> args = new ArrayList<>();
            for (Class<?> type : factory.getParameterTypes()) {
                args.add(type == String.class ? "x" : type == long.class ? 1L : type == int.class ? 1 : type == Map.class ? Map.of("f", "x") : null);
            }
            sent.add(((ApiException) factory.invoke(null, args.toArray())).code());
        }
        Harness.test((api, ctx) -> {
            Set<String> documented = new TreeSet<>();
            api.get("/openapi.json").json().at("/components/schemas/ProblemCode/enum").forEach(code -> documented.add(code.asText()));
            assertEquals(sent, documented);
        });
    }
}
