package latchkey.http;

import java.util.Map;

/**
 * The one error type of the API: handlers and services throw it, {@link Problems} turns it into
 * an RFC 9457 problem document. Each factory is one error code of the contract.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String title;
    private final Map<String, String> errors;
    private final Long retryAfterSeconds;
    private boolean tokenSent;

    private ApiException(int status, String code, String title, String detail, Map<String, String> errors, Long retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.errors = errors;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    private static ApiException of(int status, String code, String title, String detail) {
        return new ApiException(status, code, title, detail, null, null);
    }

    public static ApiException malformedJson(String detail) {
        return of(400, "malformed_json", "Malformed JSON", detail);
    }

    /** {@code errors} maps each invalid field to what is wrong with it; all of them, not only the first. */
    public static ApiException validation(Map<String, String> errors) {
        return new ApiException(400, "validation_failed", "Validation failed",
                "One or more fields are invalid; see errors.", Map.copyOf(errors), null);
    }

    public static ApiException invalidCredentials() {
        return of(401, "invalid_credentials", "Invalid credentials", "The email, username or password is wrong.");
    }

    /** A token was sent and is not good; the 401 says {@code error="invalid_token"} (RFC 6750). */
    public static ApiException invalidToken(String detail) {
        ApiException e = of(401, "invalid_token", "Invalid token", detail);
        e.tokenSent = true;
        return e;
    }

    /** No token was sent to a protected route. */
    public static ApiException missingToken() {
        return of(401, "invalid_token", "Authentication required", "Send Authorization: Bearer <access token>.");
    }

    public static ApiException forbidden(String detail) {
        return of(403, "forbidden", "Forbidden", detail);
    }

    /** The right password of an account whose email is not verified, with {@code auth.require-verified-email}. */
    public static ApiException emailNotVerified() {
        return of(403, "email_not_verified", "Email not verified",
                "Confirm your email address first with the link in the verification mail; signing in sends a new one (a few an hour at most).");
    }

    public static ApiException notFound(String detail) {
        return of(404, "not_found", "Not found", detail);
    }

    public static ApiException methodNotAllowed(String detail) {
        return of(405, "method_not_allowed", "Method not allowed", detail);
    }

    public static ApiException emailTaken() {
        return of(409, "email_taken", "Email taken", "An account with this email already exists.");
    }

    public static ApiException usernameTaken() {
        return of(409, "username_taken", "Username taken", "This username is already taken.");
    }

    public static ApiException conflict(String detail) {
        return of(409, "conflict", "Conflict", detail);
    }

    /** A room already has {@code chat.max-room-members} members. */
    public static ApiException roomFull(long maxMembers) {
        return of(409, "room_full", "Room full", "This room already has the most members a room can have (" + maxMembers + ").");
    }

    public static ApiException payloadTooLarge() {
        return of(413, "payload_too_large", "Payload too large", "The request body is larger than 65536 bytes.");
    }

    /** An upload larger than {@code uploads.max-bytes}. */
    public static ApiException payloadTooLarge(long maxBytes) {
        return of(413, "payload_too_large", "Payload too large", "The file is larger than " + maxBytes + " bytes.");
    }

    /** An upload that would take its owner past {@code uploads.quota-per-user}. */
    public static ApiException quotaExceeded(long quotaBytes) {
        return of(413, "quota_exceeded", "Quota exceeded",
                "Your uploads would take more than " + quotaBytes + " bytes; delete messages with attachments to make room.");
    }

    /** A Range that starts past the end of the file. */
    public static ApiException rangeNotSatisfiable(long size) {
        return of(416, "range_not_satisfiable", "Range not satisfiable", "The file has " + size + " bytes; ask for a range within them.");
    }

    public static ApiException unsupportedMediaType() {
        return unsupportedMediaType("Send the body as Content-Type: application/json.");
    }

    public static ApiException unsupportedMediaType(String detail) {
        return of(415, "unsupported_media_type", "Unsupported media type", detail);
    }

    public static ApiException headersTooLarge() {
        return of(431, "headers_too_large", "Request headers too large", "The request headers are larger than 16 KiB.");
    }

    /** A request the server can not make sense of, other than its body (which is {@link #malformedJson}). */
    public static ApiException badRequest(String detail) {
        return of(400, "bad_request", "Bad request", detail);
    }

    /**
     * An HTTP-level refusal that has no code of its own in the contract (414 URI too long, 505 HTTP
     * version not supported, ...): the status stays as it is, the code is {@code bad_request}.
     */
    static ApiException httpError(int status, String title) {
        return of(status, "bad_request", title, "The request could not be handled (HTTP " + status + ").");
    }

    public static ApiException internalError() {
        return of(500, "internal_error", "Internal error", "Something went wrong on our side; it has been logged.");
    }

    public static ApiException unavailable(String detail) {
        return of(503, "unavailable", "Service unavailable", detail);
    }

    public static ApiException rateLimited(long retryAfterSeconds) {
        return new ApiException(429, "rate_limited", "Too many requests",
                "Too many attempts; try again in " + retryAfterSeconds + " seconds.", null, retryAfterSeconds);
    }

    public static ApiException overloaded(long retryAfterSeconds) {
        return new ApiException(503, "overloaded", "Overloaded",
                "The server is busy checking passwords; try again shortly.", null, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public Map<String, String> errors() {
        return errors;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public boolean tokenSent() {
        return tokenSent;
    }
}
