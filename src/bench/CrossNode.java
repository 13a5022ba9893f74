import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cross-node revocation, end to end: a user signs up on node A, node B serves its token once (so
 * B has the session in its access cache), the user logs out on A, and B is asked again and again
 * until it answers 401. The time from A's 204 to B's first 401, SAMPLES times; prints p50, p99, max.
 *
 * Usage: java src/bench/CrossNode.java http://127.0.0.1:PORT_A http://127.0.0.1:PORT_B [SAMPLES]
 */
public class CrossNode {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern ACCESS = Pattern.compile("\"access_token\":\"([^\"]+)\"");
    private static final Pattern REFRESH = Pattern.compile("\"refresh_token\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        String a = args[0], b = args[1];
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            String tokens = send(a, "POST", "/auth/register", null,
                    "{\"email\":\"cross" + i + "-" + run + "@bench.example\",\"password\":\"bench-password-1\"}", 201);
            String access = find(ACCESS, tokens), refresh = find(REFRESH, tokens);
            send(b, "GET", "/users/me", access, null, 200);
            send(a, "POST", "/auth/logout", null, "{\"refresh_token\":\"" + refresh + "\"}", 204);
            long start = System.nanoTime();
            while (status(b, access) != 401) {
                if (System.nanoTime() - start > 10_000_000_000L) throw new IllegalStateException("still accepted on B after 10 s");
            }
            millis.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(millis);
        System.out.printf("CROSSNODE samples=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f%n", samples,
                millis.get(samples / 2), millis.get((int) Math.ceil(samples * 0.99) - 1), millis.get(samples - 1));
    }

    private static int status(String base, String token) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/users/me")).header("Authorization", "Bearer " + token).build();
        return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String send(String base, String method, String path, String token, String json, int expected) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) r.header("Content-Type", "application/json");
        if (token != null) r.header("Authorization", "Bearer " + token);
        HttpResponse<String> res = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != expected) throw new IllegalStateException(method + " " + path + ": " + res.statusCode() + " " + res.body());
        return res.body();
    }

    private static String find(Pattern p, String body) {
        Matcher m = p.matcher(body);
        if (!m.find()) throw new IllegalStateException("no " + p + " in " + body);
        return m.group(1);
    }
}
