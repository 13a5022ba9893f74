package latchkey.chat;

import latchkey.support.Api;
import latchkey.support.Chat;
import latchkey.support.Harness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static latchkey.support.Api.json;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may do what in a group room, through HTTP: owner, room admin, member, outsider and site admin
 * (not a member) against every action, in a public and in a private room. A fresh room for every
 * cell, so that no action's effect leaks into the next.
 */
class RoomPermissionsTest {
    private enum Actor { OWNER, ADMIN, MEMBER, OUTSIDER, SITE_ADMIN }

    /** One room of the matrix: its id, a message of another plain member, and the extra members the actions aim at. */
    private record Fixture(long roomId, long memberMessageId, Chat target, Chat targetAdmin) {
    }

    /** What an action does, as the actor, to a fresh fixture; the answer's status is the cell. */
    private interface Action extends BiFunction<Chat, Fixture, Api.Res> {
    }

    private static final Map<String, Action> ACTIONS = new LinkedHashMap<>();

    static {
        ACTIONS.put("get room", (a, f) -> a.get("/rooms/" + f.roomId()));
        ACTIONS.put("list messages", (a, f) -> a.get("/rooms/" + f.roomId() + "/messages"));
        ACTIONS.put("get a message", (a, f) -> a.get("/rooms/" + f.roomId() + "/messages/" + f.memberMessageId()));
        ACTIONS.put("list members", (a, f) -> a.get("/rooms/" + f.roomId() + "/members"));
        ACTIONS.put("send", (a, f) -> a.post("/rooms/" + f.roomId() + "/messages", json("text", "hi")));
        ACTIONS.put("mark read", (a, f) -> a.put("/rooms/" + f.roomId() + "/read", json("seq", 1)));
        ACTIONS.put("typing", (a, f) -> a.post("/rooms/" + f.roomId() + "/typing", null));
        ACTIONS.put("rename", (a, f) -> a.patch("/rooms/" + f.roomId(), json("name", "renamed")));
        ACTIONS.put("add member", (a, f) -> a.put("/rooms/" + f.roomId() + "/members/" + f.target().userId(), null));
        ACTIONS.put("grant admin", (a, f) -> a.put("/rooms/" + f.roomId() + "/members/" + f.target().userId(), json("role", "admin")));
        ACTIONS.put("remove member", (a, f) -> a.delete("/rooms/" + f.roomId() + "/members/" + f.target().userId()));
        ACTIONS.put("remove admin", (a, f) -> a.delete("/rooms/" + f.roomId() + "/members/" + f.targetAdmin().userId()));
        ACTIONS.put("edit another's message", (a, f) -> a.patch("/rooms/" + f.roomId() + "/messages/" + f.memberMessageId(), json("text", "x")));
        ACTIONS.put("delete another's message", (a, f) -> a.delete("/rooms/" + f.roomId() + "/messages/" + f.memberMessageId()));
        ACTIONS.put("join", (a, f) -> a.post("/rooms/" + f.roomId() + "/join", null));
        ACTIONS.put("leave", (a, f) -> a.post("/rooms/" + f.roomId() + "/leave", null));
        ACTIONS.put("delete room", (a, f) -> a.delete("/rooms/" + f.roomId()));
    }

    /** Expected statuses, actors in the order OWNER, ADMIN, MEMBER, OUTSIDER, SITE_ADMIN. */
    private static final Map<String, int[]> PUBLIC = new LinkedHashMap<>();
    private static final Map<String, int[]> PRIVATE = new LinkedHashMap<>();

    static {
        // "add member" and "grant admin" aim at a user who is in the room only for "grant admin"/"remove member".
        expect("get room", new int[]{200, 200, 200, 200, 200}, new int[]{200, 200, 200, 404, 200});
        expect("list messages", new int[]{200, 200, 200, 200, 200}, new int[]{200, 200, 200, 404, 200});
        expect("get a message", new int[]{200, 200, 200, 200, 200}, new int[]{200, 200, 200, 404, 200});
        expect("list members", new int[]{200, 200, 200, 200, 200}, new int[]{200, 200, 200, 404, 200});
        expect("send", new int[]{201, 201, 201, 403, 403}, new int[]{201, 201, 201, 404, 403});
        expect("mark read", new int[]{200, 200, 200, 403, 403}, new int[]{200, 200, 200, 404, 403});
        expect("typing", new int[]{204, 204, 204, 403, 403}, new int[]{204, 204, 204, 404, 403});
        expect("rename", new int[]{200, 200, 403, 403, 200}, new int[]{200, 200, 403, 404, 200});
        expect("add member", new int[]{201, 201, 403, 403, 201}, new int[]{201, 201, 403, 404, 201});
        expect("grant admin", new int[]{200, 403, 403, 403, 200}, new int[]{200, 403, 403, 404, 200});
        expect("remove member", new int[]{204, 204, 403, 403, 204}, new int[]{204, 204, 403, 404, 204});
        expect("remove admin", new int[]{204, 403, 403, 403, 204}, new int[]{204, 403, 403, 404, 204});
        expect("edit another's message", new int[]{403, 403, 403, 403, 403}, new int[]{403, 403, 403, 404, 403});
        expect("delete another's message", new int[]{204, 204, 403, 403, 204}, new int[]{204, 204, 403, 404, 204});
        expect("join", new int[]{200, 200, 200, 200, 200}, new int[]{200, 200, 200, 404, 403});
        expect("leave", new int[]{204, 204, 204, 204, 204}, new int[]{204, 204, 204, 404, 204});
        expect("delete room", new int[]{204, 403, 403, 403, 204}, new int[]{204, 403, 403, 404, 204});
    }

    private static void expect(String action, int[] inPublic, int[] inPrivate) {
        PUBLIC.put(action, inPublic);
        PRIVATE.put(action, inPrivate);
    }

    @Test
    void everyRoleAgainstEveryActionInPublicAndPrivateRooms() {
        Harness.test(Map.of("ratelimit.enabled", "false"), (api, ctx) -> {
            Chat owner = Chat.signUp(api, "owner@example.com");
            Chat admin = Chat.signUp(api, "admin@example.com");
            Chat member = Chat.signUp(api, "member@example.com");
            Chat outsider = Chat.signUp(api, "outsider@example.com");
            Chat target = Chat.signUp(api, "target@example.com");
            Chat targetAdmin = Chat.signUp(api, "target-admin@example.com");
            Chat author = Chat.signUp(api, "author@example.com");
            Chat siteAdmin = Chat.signUpSiteAdmin(api, ctx, "site-admin@example.com");
            Map<Actor, Chat> actors = Map.of(Actor.OWNER, owner, Actor.ADMIN, admin, Actor.MEMBER, member,
                    Actor.OUTSIDER, outsider, Actor.SITE_ADMIN, siteAdmin);

            List<String> wrong = new ArrayList<>();
            int cells = 0;
            for (boolean isPrivate : new boolean[]{false, true}) {
                Map<String, int[]> expected = isPrivate ? PRIVATE : PUBLIC;
                for (var action : ACTIONS.entrySet()) {
                    for (Actor actor : Actor.values()) {
                        long roomId = owner.createRoom("matrix", isPrivate, admin, member, targetAdmin, author);
                        Chat.expect(200, owner.put("/rooms/" + roomId + "/members/" + admin.userId(), json("role", "admin")));
                        Chat.expect(200, owner.put("/rooms/" + roomId + "/members/" + targetAdmin.userId(), json("role", "admin")));
                        // The target of "add member" is outside the room; the others need it inside.
                        if (!action.getKey().equals("add member")) Chat.expect(201, owner.put("/rooms/" + roomId + "/members/" + target.userId(), null));
                        long messageId = author.send(roomId, "another member's message").get("id").asLong();
                        Api.Res res = action.getValue().apply(actors.get(actor), new Fixture(roomId, messageId, target, targetAdmin));
                        int want = expected.get(action.getKey())[actor.ordinal()];
                        cells++;
                        if (res.status() != want) {
                            wrong.add((isPrivate ? "private" : "public") + " room, " + actor + " " + action.getKey() + ": expected " + want + ", got " + res);
                        } else if (res.status() >= 400 && !res.header("Content-Type").startsWith("application/problem+json")) {
                            wrong.add(actor + " " + action.getKey() + ": an error without a problem document");
                        }
                    }
                }
            }
            assertTrue(cells == 2 * ACTIONS.size() * Actor.values().length && wrong.isEmpty(), cells + " cells; wrong:\n" + String.join("\n", wrong));
        });
    }
}
