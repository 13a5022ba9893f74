package latchkey.tokens;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens whose signature and claims were already checked, keyed by the exact token string,
 * so that a client sending the same token again costs a map lookup instead of a JWT parse and an
 * HMAC. Only what never changes for a given string is remembered (the claims); the time checks
 * (expiry, issue time) are made again on every use, against the same clock, and the session and
 * user behind the token are checked elsewhere on every request. Bounded: when full it starts over.
 */
final class VerifiedTokens {
    static final int MAX_ENTRIES = 4_096;

    private record Entry(AccessTokens.Claims claims, long expiresAtMillis) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** The claims of a token verified before that is still within its times at {@code nowMillis}, else null. */
    AccessTokens.Claims get(String jwt, long nowMillis) {
        Entry entry = entries.get(jwt);
        if (entry == null) return null;
        if (nowMillis >= entry.expiresAtMillis() || entry.claims().issuedAt().toEpochMilli() > nowMillis) {
            entries.remove(jwt, entry);
            return null;
        }
        return entry.claims();
    }

    void put(String jwt, AccessTokens.Claims claims, long expiresAtMillis) {
        if (entries.size() >= MAX_ENTRIES) entries.clear();
        entries.put(jwt, new Entry(claims, expiresAtMillis));
    }

    int size() {
        return entries.size();
    }
}
