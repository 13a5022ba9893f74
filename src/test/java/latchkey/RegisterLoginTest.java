package latchkey;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import com.fasterxml.jackson.databind.JsonNode;
import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.Tokens;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static latchkey.support.Api.json;
import static latchkey.support.Harness.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegisterLoginTest {
    @Test
    void registerAnswers201WithTokensAndTheUser() {
        Harness.test((api, ctx) -> {
            var res = api.post("/auth/register", json("email", "Ada@Example.COM", "password", PASSWORD, "name", "Ada", "username", "ada_l"));
            assertEquals(201, res.status(), res.body());
            JsonNode body = res.json();
            long id = body.get("user").get("id").asLong();
            assertEquals("/users/" + id, res.header("Location"));
            assertEquals("no-store", res.header("Cache-Control"));
            assertEquals("Bearer", body.get("token_type").asText());
            assertEquals(900, body.get("expires_in").asLong());
            assertTrue(body.get("refresh_token").asText().length() >= 43, "256 bits of base64url");
            JsonNode user = body.get("user");
            assertEquals("ada@example.com", user.get("email").asText());
            assertEquals("ada_l", user.get("username").asText());
            assertEquals("Ada", user.get("name").asText());
            assertEquals("user", user.get("role").asText());
            assertTrue(user.get("created_at").asText().endsWith("Z"));
            assertFalse(res.body().contains("password"), "no password or hash in the response: " + res.body());
            assertFalse(res.body().contains("$2a$"), res.body());

            JsonNode claims = Tokens.payload(body.get("access_token").asText());
            assertEquals("latchkey", claims.get("iss").asText());
            assertEquals(Long.toString(id), claims.get("sub").asText());
            assertEquals("user", claims.get("role").asText());
            assertTrue(claims.get("sid").asLong() > 0);
            assertTrue(claims.hasNonNull("jti"));
            assertEquals(900, claims.get("exp").asLong() - claims.get("iat").asLong());
            assertEquals("HS256", Tokens.header(body.get("access_token").asText()).get("alg").asText());

            String stored = ctx.db().read(h -> h.createQuery("SELECT password_hash FROM users WHERE id = ?")
                    .bind(0, id).mapTo(String.class).one());
            assertTrue(stored.startsWith("$2a$04$"), "bcrypt at the configured cost: " + stored);
        });
    }

    @Test
    void registerValidatesEveryFieldAtOnce() {
        Harness.test((api, ctx) -> {
            var res = api.post("/auth/register", json("email", "not-an-email", "password", "short", "username", "a b", "name", "x".repeat(101)));
            assertEquals(400, res.status());
            assertEquals("validation_failed", res.code());
            assertEquals("application/problem+json", res.header("Content-Type"));
            JsonNode errors = res.json().get("errors");
            assertTrue(errors.has("email") && errors.has("password") && errors.has("username") && errors.has("name"), res.body());

            var missing = api.post("/auth/register", "{}");
            assertEquals(400, missing.status());
            assertTrue(missing.json().get("errors").has("email") && missing.json().get("errors").has("password"), missing.body());
        });
    }

    @Test
    void emailRules() {
        Harness.test((api, ctx) -> {
            for (String bad : new String[]{"a@b", "@b.c", "a@@b.c", "a b@c.d", "a@b.c.", "a@.bc", "x".repeat(250) + "@b.cd"}) {
                var res = api.register(bad, PASSWORD);
                assertEquals(400, res.status(), bad + " -> " + res.body());
                assertTrue(res.json().get("errors").has("email"), res.body());
            }
            // Escaped in the JSON text: a NUL and a lone surrogate can not travel raw.
            for (String escaped : new String[]{"a\\u0000@b.c", "a\\ud800@b.c"}) {
                var res = api.post("/auth/register", "{\"email\":\"" + escaped + "\",\"password\":\"" + PASSWORD + "\"}");
                assertEquals(400, res.status(), escaped + " -> " + res.body());
                assertTrue(res.json().get("errors").has("email"), res.body());
            }
            assertEquals(201, api.register("x".repeat(248) + "@b.cd", PASSWORD).status(), "254 characters is allowed");
        });
    }

    @Test
    void wrongJsonTypesAreValidationErrors() {
        Harness.test((api, ctx) -> {
            var res = api.post("/auth/register", "{\"email\":42,\"password\":[\"x\"],\"name\":{}}");
            assertEquals(400, res.status());
            assertEquals("validation_failed", res.code());
            assertEquals(3, res.json().get("errors").size(), res.body());
            var array = api.post("/auth/register", "[1,2]");
            assertEquals(400, array.status());
            assertEquals("validation_failed", array.code());
            var broken = api.post("/auth/register", "{\"email\":");
            assertEquals(400, broken.status());
            assertEquals("malformed_json", broken.code());
        });
    }

    @Test
    void passwordLengthRulesCountCharacters() {
        Harness.test((api, ctx) -> {
            assertEquals(400, api.register("a@b.co", "1234567").status());
            assertEquals(201, api.register("b@b.co", "\uD83D\uDE00".repeat(8)).status(), "8 emoji are 8 characters");
            assertEquals(201, api.register("c@b.co", "p".repeat(256)).status());
        });
    }

    @Test
    void everyCharacterOfALongPasswordCounts() {
        Harness.test((api, ctx) -> {
            String prefix = "p".repeat(72);
            assertEquals(201, api.register("long@example.com", prefix + "-one").status());
            assertEquals(401, api.login("long@example.com", prefix + "-two").status(), "same first 72 bytes, different password");
            assertEquals(200, api.login("long@example.com", prefix + "-one").status());
        });
    }

    @Test
    void duplicateEmailAndUsernameAre409CaseInsensitively() {
        Harness.test((api, ctx) -> {
            assertEquals(201, api.post("/auth/register", json("email", "a@example.com", "password", PASSWORD, "username", "Neo")).status());
            var email = api.post("/auth/register", json("email", "A@EXAMPLE.com", "password", PASSWORD));
            assertEquals(409, email.status());
            assertEquals("email_taken", email.code());
            var username = api.post("/auth/register", json("email", "b@example.com", "password", PASSWORD, "username", "neo"));
            assertEquals(409, username.status());
            assertEquals("username_taken", username.code());
        });
    }

    @Test
    void loginByEmailOrUsername() {
        Harness.test((api, ctx) -> {
            api.post("/auth/register", json("email", "ada@example.com", "password", PASSWORD, "username", "Ada"));
            var byEmail = api.login("ADA@example.com", PASSWORD);
            assertEquals(200, byEmail.status(), byEmail.body());
            assertEquals("no-store", byEmail.header("Cache-Control"));
            assertEquals("ada@example.com", byEmail.json().get("user").get("email").asText());
            assertTrue(byEmail.json().has("refresh_token"));
            var byUsername = api.post("/auth/login", json("username", "ada", "password", PASSWORD));
            assertEquals(200, byUsername.status(), byUsername.body());
            assertNotEquals(Tokens.payload(byEmail.text("access_token")).get("sid"), Tokens.payload(byUsername.text("access_token")).get("sid"),
                    "each login opens its own session");
        });
    }

    @Test
    void unknownUserAndWrongPasswordLookTheSame() {
        Harness.test((api, ctx) -> {
            api.signUp("ada@example.com");
            Api.Res wrong = api.login("ada@example.com", "wrong password!");
            Api.Res unknown = api.login("nobody@example.com", PASSWORD);
            for (Api.Res res : new Api.Res[]{wrong, unknown}) {
                assertEquals(401, res.status());
                assertEquals("invalid_credentials", res.code());
                assertEquals("Bearer realm=\"latchkey\"", res.header("WWW-Authenticate"));
            }
            assertEquals(wrong.json().get("detail"), unknown.json().get("detail"));
            var noName = api.post("/auth/login", json("password", PASSWORD));
            assertEquals(400, noName.status());
            assertEquals("validation_failed", noName.code());
        });
    }

    @Test
    void aPasswordHashedAtALowerCostIsUpgradedAtLogin() {
        Harness.test(Map.of("bcrypt.cost", "5"), (api, ctx) -> {
            String cheap = BCrypt.with(BCrypt.Version.VERSION_2A, LongPasswordStrategies.hashSha512(BCrypt.Version.VERSION_2A))
                    .hashToString(4, PASSWORD.toCharArray());
            ctx.db().writer().useHandle(h -> h.execute("""
                    INSERT INTO users (email, password_hash, password_changed_at, created_at, updated_at)
                    VALUES ('old@example.com', ?, 0, 0, 0)""", cheap));
            assertEquals(200, api.login("old@example.com", PASSWORD).status());
            String stored = ctx.db().read(h -> h.createQuery("SELECT password_hash FROM users WHERE email = 'old@example.com'")
                    .mapTo(String.class).one());
            assertTrue(stored.startsWith("$2a$05$"), stored);
            assertEquals(200, api.login("old@example.com", PASSWORD).status(), "the new hash is the same password");
        });
    }

    @Test
    void nullOptionalFieldsAreFine() {
        Harness.test((api, ctx) -> {
            var res = api.post("/auth/register", json("email", "n@example.com", "password", PASSWORD, "name", null, "username", null));
            assertEquals(201, res.status(), res.body());
            assertTrue(res.json().get("user").get("name").isNull());
            assertNull(res.json().get("user").get("username").textValue());
        });
    }
}
