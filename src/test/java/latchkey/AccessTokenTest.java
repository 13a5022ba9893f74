package latchkey;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.MutableClock;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every way an access token can be wrong gets 401 invalid_token; only ours, exactly, is accepted. */
class AccessTokenTest {
    private static final SecretKey KEY = Keys.hmacShaKeyFor(Harness.SECRET.getBytes(StandardCharsets.UTF_8));

    /** A token like the server's for the given user and session, changed by {@code edit}. */
    private static String forge(long userId, long sessionId, Consumer<io.jsonwebtoken.JwtBuilder> edit) {
        Instant now = Instant.now();
        var b = Jwts.builder().issuer("latchkey").subject(Long.toString(userId)).issuedAt(Date.from(now))
                .expiration(Date.from(now.plusSeconds(600))).id("t").claim("sid", sessionId).claim("role", "user")
                .signWith(KEY, Jwts.SIG.HS256);
        edit.accept(b);
        return b.compact();
    }

    private static void assertRejected(Api api, String authorization, boolean tokenSent) {
        var res = api.raw("GET", "/users/me", authorization == null ? Map.of() : Map.of("Authorization", authorization), null);
        assertEquals(401, res.status(), authorization + " -> " + res.body());
        assertEquals("invalid_token", res.code());
        assertEquals(tokenSent ? "Bearer realm=\"latchkey\", error=\"invalid_token\"" : "Bearer realm=\"latchkey\"", res.header("WWW-Authenticate"));
    }

    @Test
    void aTokenForgedWithTheRightSecretWorksSoTheRejectionsBelowMeanSomething() {
        Harness.test((api, ctx) -> {
            var me = api.signUp("a@example.com");
            long sid = latchkey.support.Tokens.payload(me.accessToken()).get("sid").asLong();
            assertEquals(200, api.get("/users/me", forge(me.userId(), sid, b -> {})).status());
            assertEquals(200, api.raw("GET", "/users/me", Map.of("Authorization", "bEaReR " + me.accessToken()), null).status(),
                    "the scheme is case-insensitive");
        });
    }

    @Test
    void rejectsEveryBadToken() {
        Harness.test((api, ctx) -> {
            var me = api.signUp("a@example.com");
            long uid = me.userId();
            long sid = latchkey.support.Tokens.payload(me.accessToken()).get("sid").asLong();
            assertRejected(api, null, false);
            assertRejected(api, "Basic " + Base64.getEncoder().encodeToString("a:b".getBytes()), true);
            assertRejected(api, "Bearer", true);
            assertRejected(api, "Bearer not.a.jwt", true);
            assertRejected(api, "Bearer " + forge(uid, sid, b -> b.signWith(Keys.hmacShaKeyFor("another-secret-0123456789abcdef0123456789".getBytes()), Jwts.SIG.HS256)), true);
            assertRejected(api, "Bearer " + forge(uid, sid, b -> b.signWith(Keys.hmacShaKeyFor((Harness.SECRET + Harness.SECRET).getBytes()), Jwts.SIG.HS512)), true);
            assertRejected(api, "Bearer " + forge(uid, sid, b -> b.issuer("someone-else")), true);
            assertRejected(api, "Bearer " + forge(uid, sid, b -> b.expiration(Date.from(Instant.now().minusSeconds(1)))), true);
            assertRejected(api, "Bearer " + forge(uid, sid, b -> b.issuedAt(Date.from(Instant.now().plusSeconds(60)))), true);
            assertRejected(api, "Bearer " + forge(uid, sid, b -> b.claim("sid", null)), true);
            assertRejected(api, "Bearer " + forge(uid, sid + 1000, b -> {}), true);
            assertRejected(api, "Bearer " + forge(uid + 1000, sid, b -> {}), true);
            assertRejected(api, "Bearer " + forge(uid, sid, b -> b.subject("-1")), true);
            assertRejected(api, "Bearer " + forge(uid, sid, b -> b.subject("abc")), true);
            assertRejected(api, "Bearer " + forge(uid, sid, b -> b.claim("role", "root")), true);

            // alg none: header {"alg":"none"}, the same claims, no signature
            String[] parts = me.accessToken().split("\\.");
            String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + parts[1] + ".";
            assertRejected(api, "Bearer " + none, true);
            // tampered payload: role admin, original signature
            String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"user\"", "\"admin\"");
            assertRejected(api, "Bearer " + parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2], true);
        });
    }

    @Test
    void aTokenIsRefusedFromItsExpiryOn() {
        MutableClock clock = new MutableClock();
        Harness.test(Map.of(), clock, (api, ctx) -> {
            var me = api.signUp("a@example.com");
            clock.advance(Duration.ofMinutes(15).minusSeconds(1));
            assertEquals(200, api.get("/users/me", me.accessToken()).status());
            clock.advance(Duration.ofSeconds(1));
            assertRejected(api, "Bearer " + me.accessToken(), true);
        });
    }

    @Test
    void theTokenOfADeletedUserIsRefused() {
        Harness.test((api, ctx) -> {
            var me = api.signUp("a@example.com");
            var other = api.login("a@example.com", Harness.PASSWORD).json().get("access_token").asText();
            assertEquals(204, api.delete("/users/me", Api.json("password", Harness.PASSWORD), me.accessToken()).status());
            assertRejected(api, "Bearer " + me.accessToken(), true);
            assertRejected(api, "Bearer " + other, true);
        });
    }
}
