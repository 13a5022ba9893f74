package latchkey.tokens;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.UnsupportedJwtException;
import io.jsonwebtoken.security.Keys;
import latchkey.http.ApiException;
import latchkey.identity.Role;

import javax.crypto.SecretKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Signs and verifies access tokens: HS256 JWTs with iss, sub, iat, exp, jti, sid and role.
 * Verification accepts only HS256 with our key and issuer, with no clock leeway.
 */
public final class AccessTokens {
    private static final String ALGORITHM = "HS256";

    /** What a verified token says; whether its session and user are still good is checked elsewhere. */
    public record Claims(long userId, long sessionId, Role role, Instant issuedAt, Instant expiresAt) {
    }

    private final SecretKey key;
    private final String issuer;
    private final Duration ttl;
    private final Clock clock;
    private final JwtParser parser;
    private final VerifiedTokens verified = new VerifiedTokens();

    public AccessTokens(byte[] secret, String issuer, Duration ttl, Clock clock) {
        this.key = Keys.hmacShaKeyFor(secret);
        this.issuer = issuer;
        this.ttl = ttl;
        this.clock = clock;
        this.parser = Jwts.parser()
                .keyLocator(header -> {
                    // Refuse other algorithms before any signature work: HS384/512 with the same key, none, RSA confusion.
                    if (!ALGORITHM.equals(header.getAlgorithm())) throw new UnsupportedJwtException("algorithm not accepted");
                    return key;
                })
                .requireIssuer(issuer)
                .clock(() -> Date.from(clock.instant()))
                .build();
    }

    public Duration ttl() {
        return ttl;
    }

    public String issue(long userId, long sessionId, Role role) {
        Instant now = clock.instant();
        return Jwts.builder()
                .issuer(issuer)
                .subject(Long.toString(userId))
                .issuedAt(Date.from(now))
                .expiration(Date.from(now.plus(ttl)))
                .id(UUID.randomUUID().toString())
                .claim("sid", sessionId)
                .claim("role", role.wireName())
                .signWith(key, Jwts.SIG.HS256)
                .compact();
    }

    /** The claims of a valid token, or {@code invalid_token}. */
    public Claims verify(String jwt) {
        long now = clock.millis();
        Claims known = verified.get(jwt, now);
        if (known != null) return known;
        io.jsonwebtoken.Claims claims;
        try {
            claims = parser.parseSignedClaims(jwt).getPayload();
        } catch (JwtException | IllegalArgumentException e) {
            throw ApiException.invalidToken("The access token is malformed, expired or not signed by this server.");
        }
        Date issuedAt = claims.getIssuedAt();
        Date expiration = claims.getExpiration();
        // No leeway: refused from exp on (the parser itself still accepts the very millisecond of exp).
        if (issuedAt == null || issuedAt.getTime() > now || expiration == null || expiration.getTime() <= now) {
            throw ApiException.invalidToken("The access token has no valid issue or expiry time.");
        }
        Role role = Role.parse(claims.get("role") instanceof String r ? r : null)
                .orElseThrow(() -> ApiException.invalidToken("The access token has no valid role."));
        Claims valid = new Claims(positiveId(claims.getSubject()), positiveId(sessionId(claims)), role, issuedAt.toInstant(),
                expiration.toInstant());
        verified.put(jwt, valid, expiration.getTime());
        return valid;
    }

    private static String sessionId(io.jsonwebtoken.Claims claims) {
        Object sid = claims.get("sid");
        return sid instanceof Number || sid instanceof String ? sid.toString() : null;
    }

    private static long positiveId(String value) {
        if (value != null && !value.isEmpty() && value.length() <= 18 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long id = Long.parseLong(value);
            if (id > 0) return id;
        }
        throw ApiException.invalidToken("The access token does not name a user and session.");
    }
}
