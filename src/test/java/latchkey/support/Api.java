package latchkey.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small HTTP client for tests against a running Latchkey: JSON in, {@link Res} out.
 * Built on java.net.http so that any method and any header can be sent.
 */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Api(String base) {
        this.base = base;
    }

    public String base() {
        return base;
    }

    /** A response: status, headers, body text and (when it is JSON) the parsed body. */
    public record Res(int status, Map<String, String> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        public String text(String field) {
            JsonNode node = json().get(field);
            return node == null || node.isNull() ? null : node.asText();
        }

        /** The problem code of an error response. */
        public String code() {
            return text("code");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Res get(String path) {
        return send("GET", path, null, null);
    }

    public Res get(String path, String token) {
        return send("GET", path, null, token);
    }

    public Res post(String path, String json) {
        return send("POST", path, json, null);
    }

    public Res post(String path, String json, String token) {
        return send("POST", path, json, token);
    }

    public Res patch(String path, String json, String token) {
        return send("PATCH", path, json, token);
    }

    public Res delete(String path, String json, String token) {
        return send("DELETE", path, json, token);
    }

    public Res send(String method, String path, String json, String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (json != null) headers.put("Content-Type", "application/json");
        if (token != null) headers.put("Authorization", "Bearer " + token);
        return raw(method, path, headers, json == null ? null : json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Any method, any headers, any body bytes. */
    public Res raw(String method, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> h = new LinkedHashMap<>();
            r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(), String.join(", ", v)));
            return new Res(r.statusCode(), h, r.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A response whose body is kept as bytes (a downloaded file). */
    public record Download(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        @Override
        public String toString() {
            return status + " " + headers + " (" + body.length + " bytes)";
        }
    }

    /** GETs a path, or a full URL (a signed link), keeping the body's bytes. */
    public Download download(String pathOrUrl, Map<String, String> headers) {
        URI uri = URI.create(pathOrUrl.startsWith("http") ? base + URI.create(pathOrUrl).getRawPath() + "?" + URI.create(pathOrUrl).getRawQuery()
                : base + pathOrUrl);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(b::header);
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> h = new LinkedHashMap<>();
            r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(), String.join(", ", v)));
            return new Download(r.statusCode(), h, r.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + pathOrUrl + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** JSON object text from alternating keys and values; values are JSON-encoded (null stays null). */
    public static String json(Object... keysAndValues) {
        var node = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.set((String) keysAndValues[i], JSON.valueToTree(keysAndValues[i + 1]));
        }
        return node.toString();
    }

    /** Registers a user and returns the token response. */
    public Res register(String email, String password) {
        return post("/auth/register", json("email", email, "password", password));
    }

    public Res login(String email, String password) {
        return post("/auth/login", json("email", email, "password", password));
    }

    /** Registers a user and returns its access token; fails the test unless the answer is 201. */
    public Session signUp(String email) {
        Res res = register(email, Harness.PASSWORD);
        if (res.status() != 201) throw new AssertionError("register " + email + ": " + res);
        return Session.of(res);
    }

    /** The tokens of a token response. */
    public record Session(String accessToken, String refreshToken, long userId) {
        public static Session of(Res res) {
            JsonNode body = res.json();
            return new Session(body.get("access_token").asText(), body.get("refresh_token").asText(), body.get("user").get("id").asLong());
        }
    }
}
