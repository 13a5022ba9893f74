package latchkey;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.support.Api;
import latchkey.support.Harness;
import org.junit.jupiter.api.Test;

import static latchkey.support.Api.json;
import static latchkey.support.Harness.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminTest {
    /** An administrator, made the way grant-admin does it (the command itself is tested against the jar). */
    private static Api.Session admin(Api api, Harness.Context ctx) {
        api.signUp("root@example.com");
        ctx.db().writer().useHandle(h -> h.execute("UPDATE users SET role = 'admin' WHERE email = 'root@example.com'"));
        return Api.Session.of(api.login("root@example.com", PASSWORD));
    }

    @Test
    void nonAdminsGet403() {
        Harness.test((api, ctx) -> {
            var user = api.signUp("a@example.com");
            for (var res : new Api.Res[]{
                    api.get("/admin/users", user.accessToken()),
                    api.patch("/admin/users/" + user.userId(), json("role", "admin"), user.accessToken()),
                    api.delete("/admin/users/" + user.userId(), null, user.accessToken())}) {
                assertEquals(403, res.status(), res.body());
                assertEquals("forbidden", res.code());
            }
            assertEquals(401, api.get("/admin/users").status());
            assertEquals("user", api.get("/users/me", user.accessToken()).text("role"));
        });
    }

    @Test
    void adminsListEveryUserWithDisabled() {
        Harness.test((api, ctx) -> {
            var root = admin(api, ctx);
            api.signUp("bob@example.com");
            var res = api.get("/admin/users?q=BOB", root.accessToken());
            assertEquals(200, res.status(), res.body());
            JsonNode bob = res.json().get("users").get(0);
            assertEquals("bob@example.com", bob.get("email").asText(), "admins search by email too");
            assertTrue(bob.has("disabled") && !bob.get("disabled").asBoolean());
            assertEquals(2, api.get("/admin/users", root.accessToken()).json().get("users").size());
            assertEquals("admin", api.get("/users/me", root.accessToken()).text("role"));
        });
    }

    @Test
    void disablingEndsSessionsAndBlocksLoginUntilEnabled() {
        Harness.test((api, ctx) -> {
            var root = admin(api, ctx);
            var bob = api.signUp("bob@example.com");
            var res = api.patch("/admin/users/" + bob.userId(), json("disabled", true), root.accessToken());
            assertEquals(200, res.status(), res.body());
            assertTrue(res.json().get("disabled").asBoolean());
            assertEquals(401, api.get("/users/me", bob.accessToken()).status());
            assertEquals(401, api.post("/auth/refresh", json("refresh_token", bob.refreshToken())).status());
            var login = api.login("bob@example.com", PASSWORD);
            assertEquals(401, login.status());
            assertEquals("invalid_credentials", login.code(), "the same answer as a wrong password");
            assertEquals(404, api.get("/users/" + bob.userId(), root.accessToken()).status(), "disabled users are hidden from others");

            assertEquals(200, api.patch("/admin/users/" + bob.userId(), json("disabled", false), root.accessToken()).status());
            assertEquals(200, api.login("bob@example.com", PASSWORD).status());
        });
    }

    @Test
    void aRoleChangeAppliesToTokensIssuedAfterItAndADemotionAtOnce() {
        Harness.test((api, ctx) -> {
            var root = admin(api, ctx);
            var bob = api.signUp("bob@example.com");
            var res = api.patch("/admin/users/" + bob.userId(), json("role", "admin"), root.accessToken());
            assertEquals("admin", res.text("role"));
            assertEquals(403, api.get("/admin/users", bob.accessToken()).status(), "a token issued before the promotion");
            var promoted = Api.Session.of(api.post("/auth/refresh", json("refresh_token", bob.refreshToken())));
            assertEquals(200, api.get("/admin/users", promoted.accessToken()).status());

            api.patch("/admin/users/" + bob.userId(), json("role", "user"), root.accessToken());
            assertEquals(403, api.get("/admin/users", promoted.accessToken()).status(), "a demotion takes effect at once");
        });
    }

    @Test
    void anAdminCanNotDemoteDisableOrDeleteThemselves() {
        Harness.test((api, ctx) -> {
            var root = admin(api, ctx);
            for (var res : new Api.Res[]{
                    api.patch("/admin/users/" + root.userId(), json("role", "user"), root.accessToken()),
                    api.patch("/admin/users/" + root.userId(), json("disabled", true), root.accessToken()),
                    api.delete("/admin/users/" + root.userId(), null, root.accessToken())}) {
                assertEquals(409, res.status(), res.body());
                assertEquals("conflict", res.code());
            }
            assertEquals("admin", api.get("/users/me", root.accessToken()).text("role"));
        });
    }

    @Test
    void badChangesAndUnknownUsers() {
        Harness.test((api, ctx) -> {
            var root = admin(api, ctx);
            var bob = api.signUp("bob@example.com");
            var bad = api.patch("/admin/users/" + bob.userId(), json("role", "superuser", "disabled", "yes"), root.accessToken());
            assertEquals(400, bad.status());
            assertEquals(2, bad.json().get("errors").size(), bad.body());
            assertEquals(404, api.patch("/admin/users/9999", json("disabled", true), root.accessToken()).status());
            assertEquals(404, api.delete("/admin/users/9999", null, root.accessToken()).status());
            assertEquals(404, api.delete("/admin/users/abc", null, root.accessToken()).status());
        });
    }

    @Test
    void deletingAUserEndsTheirTokens() {
        Harness.test((api, ctx) -> {
            var root = admin(api, ctx);
            var bob = api.signUp("bob@example.com");
            assertEquals(204, api.delete("/admin/users/" + bob.userId(), null, root.accessToken()).status());
            assertEquals(401, api.get("/users/me", bob.accessToken()).status());
            assertEquals(401, api.post("/auth/refresh", json("refresh_token", bob.refreshToken())).status());
            assertEquals(201, api.register("bob@example.com", PASSWORD).status());
        });
    }
}
