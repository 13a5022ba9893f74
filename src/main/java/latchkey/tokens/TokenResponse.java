package latchkey.tokens;

import latchkey.users.User;

/** The body of register, login and refresh: sent with Cache-Control: no-store. */
public record TokenResponse(String accessToken, String tokenType, long expiresIn, String refreshToken, User user) {
    public static TokenResponse bearer(String accessToken, long expiresIn, String refreshToken, User user) {
        return new TokenResponse(accessToken, "Bearer", expiresIn, refreshToken, user);
    }
}
