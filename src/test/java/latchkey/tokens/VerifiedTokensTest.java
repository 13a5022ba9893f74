package latchkey.tokens;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import latchkey.http.ApiException;
import latchkey.support.MutableClock;
import latchkey.identity.Role;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A token checked once is remembered; what it remembers must never make a bad token pass. */
class VerifiedTokensTest {
    private static final byte[] SECRET = "test-secret-0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final AccessTokens tokens = new AccessTokens(SECRET, "latchkey", Duration.ofMinutes(15), clock);

    @Test
    void aRememberedTokenIsStillRefusedFromItsExpiryOn() {
        String jwt = tokens.issue(7, 3, Role.USER);
        assertEquals(7, tokens.verify(jwt).userId());
        clock.set(T0.plus(Duration.ofMinutes(15)).minusMillis(1));
        assertEquals(3, tokens.verify(jwt).sessionId());
        clock.set(T0.plus(Duration.ofMinutes(15)));
        assertInvalid(jwt);
        clock.set(T0.plus(Duration.ofMinutes(15)).minusMillis(1));
        assertEquals(7, tokens.verify(jwt).userId());
    }

    @Test
    void aRememberedTokenIsRefusedWhenTheClockIsBeforeItsIssueTime() {
        String jwt = tokens.issue(7, 3, Role.USER);
        tokens.verify(jwt);
        clock.set(T0.minusSeconds(1));
        assertInvalid(jwt);
    }

    @Test
    void onlyTheExactStringIsRemembered() {
        String jwt = tokens.issue(7, 3, Role.ADMIN);
        assertEquals(Role.ADMIN, tokens.verify(jwt).role());
        String otherSignature = jwt.substring(0, jwt.lastIndexOf('.') + 1) + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assertInvalid(otherSignature);
        assertInvalid(jwt + "x");
        assertInvalid(" " + jwt);
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefusedEvenWithTheSameClaims() {
        String jwt = tokens.issue(7, 3, Role.USER);
        tokens.verify(jwt);
        String forged = Jwts.builder().issuer("latchkey").subject("7").issuedAt(Date.from(T0))
                .expiration(Date.from(T0.plusSeconds(900))).claim("sid", 3).claim("role", "user")
                .signWith(Keys.hmacShaKeyFor("another-secret-0123456789abcdef0123456789ab".getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS256)
                .compact();
        assertInvalid(forged);
    }

    @Test
    void theCacheIsBounded() {
        VerifiedTokens verified = new VerifiedTokens();
        AccessTokens.Claims claims = new AccessTokens.Claims(1, 1, Role.USER, T0, T0.plusSeconds(900));
        for (int i = 0; i < VerifiedTokens.MAX_ENTRIES * 3; i++) {
            verified.put("token-" + i, claims, T0.toEpochMilli() + 1_000);
        }
        assertTrue(verified.size() <= VerifiedTokens.MAX_ENTRIES);
        assertEquals(claims, verified.get("token-" + (VerifiedTokens.MAX_ENTRIES * 3 - 1), T0.toEpochMilli()));
    }

    private void assertInvalid(String jwt) {
        ApiException e = assertThrows(ApiException.class, () -> tokens.verify(jwt));
        assertEquals(401, e.status());
    }
}
