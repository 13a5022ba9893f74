package latchkey.http;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/** An RFC 9457 problem document, extended with a stable {@code code} and per-field {@code errors}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, Map<String, String> errors) {
    public static final String CONTENT_TYPE = "application/problem+json";

    public static Problem of(ApiException e) {
        return new Problem("urn:latchkey:problem:" + e.code(), e.title(), e.status(), e.getMessage(), e.code(), e.errors());
    }
}
