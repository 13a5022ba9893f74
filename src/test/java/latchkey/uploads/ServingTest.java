package latchkey.uploads;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.support.Api;
import latchkey.support.Chat;
import latchkey.support.Harness;
import latchkey.support.MutableClock;
import latchkey.support.TestImages;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static latchkey.support.ProblemAssert.assertProblem;
import static latchkey.uploads.UploadsTest.uploaded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading an upload: signed links, the access token route, the headers, ETag and ranges. */
class ServingTest {
    private static final byte[] TEXT = "0123456789abcdefghijklmnopqrstuvwxyz\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aSignedLinkWorksWithoutAnAuthorizationHeader() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            JsonNode upload = uploaded(ann, "photo.png", "image/png", TestImages.png(50, 50));
            Api.Download served = api.download(upload.get("url").asText(), Map.of());
            assertEquals(200, served.status(), served::toString);
            assertEquals("image/png", served.header("Content-Type"));
            assertEquals("nosniff", served.header("X-Content-Type-Options"));
            assertEquals("sandbox", served.header("Content-Security-Policy"));
            assertTrue(served.header("Cache-Control").startsWith("private"), served::toString);
            assertTrue(served.header("Content-Disposition").startsWith("inline;"), served::toString);
            assertEquals(50, TestImages.decode(served.body()).getWidth());
            assertTrue(upload.get("url").asText().startsWith(ctx.config().publicUrl() + "/files/"), "links start at app.public-url");
            Api.Download byToken = api.download("/uploads/" + upload.get("id").asLong(), Map.of("Authorization", "Bearer " + ann.token()));
            assertEquals(200, byToken.status());
            assertArrayEquals(served.body(), byToken.body());
            Api.Download thumbByToken = api.download("/uploads/" + upload.get("id").asLong() + "?variant=thumbnail",
                    Map.of("Authorization", "Bearer " + ann.token()));
            assertEquals(200, thumbByToken.status());
            assertEquals(401, api.download("/uploads/" + upload.get("id").asLong(), Map.of()).status());
        });
    }

    @Test
    void aForgedTamperedBorrowedOrExpiredSignatureIs404() {
        MutableClock clock = new MutableClock();
        Harness.test(Map.of(), clock, (api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            JsonNode first = uploaded(ann, "a.txt", "text/plain", TEXT);
            JsonNode second = uploaded(ann, "b.txt", "text/plain", TEXT);
            String url = first.get("url").asText();
            assertEquals(200, api.download(url, Map.of()).status());
            String sig = query(url, "sig");
            String flipped = (sig.charAt(0) == 'A' ? 'B' : 'A') + sig.substring(1);
            assertEquals(404, api.download(url.replace("sig=" + sig, "sig=" + flipped), Map.of()).status());
            assertEquals(404, api.download(url.replace("&sig=" + sig, ""), Map.of()).status());
            long exp = Long.parseLong(query(url, "exp"));
            assertEquals(404, api.download(url.replace("exp=" + exp, "exp=" + (exp + 3600)), Map.of()).status(), "a later expiry is not signed");
            assertEquals(404, api.download(url.replace("variant=original", "variant=thumbnail"), Map.of()).status());
            String borrowed = second.get("url").asText().replace("/files/" + second.get("id").asLong() + "?", "/files/" + first.get("id").asLong() + "?");
            assertEquals(404, api.download(borrowed, Map.of()).status(), "another upload's signature opens nothing");
            Api.Download notFound = api.download(url.replace("sig=" + sig, "sig=" + flipped), Map.of());
            assertTrue(new String(notFound.body(), StandardCharsets.UTF_8).contains("not_found"));
            clock.advance(Duration.ofMinutes(61));
            assertEquals(404, api.download(url, Map.of()).status(), "expired");
        });
    }

    @Test
    void aLinkDiesWithTheSessionItWasHandedTo() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            String url = uploaded(ann, "a.txt", "text/plain", TEXT).get("url").asText();
            assertEquals(200, api.download(url, Map.of()).status());
            assertEquals(204, api.post("/auth/logout", Api.json("refresh_token", ann.session().refreshToken())).status());
            assertEquals(404, api.download(url, Map.of()).status());
        });
    }

    @Test
    void linksStayTheSameForAWhileSoBrowsersCacheThem() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            JsonNode upload = uploaded(ann, "a.png", "image/png", TestImages.png(10, 10));
            Api.Download again = api.download("/uploads/" + upload.get("id").asLong(), Map.of("Authorization", "Bearer " + ann.token()));
            assertEquals(200, again.status());
            JsonNode listed = Api.JSON.readTree(ann.get("/users/me").body());
            assertEquals(ann.userId(), listed.get("id").asLong());
            long exp = Long.parseLong(query(upload.get("url").asText(), "exp"));
            long now = System.currentTimeMillis() / 1000;
            assertTrue(exp > now + 2700 && exp <= now + 3600, "a link lives between 3/4 of the TTL and all of it: " + (exp - now));
        });
    }

    @Test
    void etagsAndRanges() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            String url = uploaded(ann, "a.txt", "text/plain", TEXT).get("url").asText();
            Api.Download whole = api.download(url, Map.of());
            assertEquals("text/plain;charset=utf-8", whole.header("Content-Type").replace(" ", ""));
            assertEquals("bytes", whole.header("Accept-Ranges"));
            String etag = whole.header("ETag");
            assertTrue(etag.startsWith("\"") && etag.endsWith("\""), etag);
            assertEquals(304, api.download(url, Map.of("If-None-Match", etag)).status());
            assertEquals(304, api.download(url, Map.of("If-None-Match", "\"other\", " + etag)).status());
            assertEquals(200, api.download(url, Map.of("If-None-Match", "\"other\"")).status());

            Api.Download part = api.download(url, Map.of("Range", "bytes=10-19"));
            assertEquals(206, part.status(), part::toString);
            assertEquals("bytes 10-19/" + TEXT.length, part.header("Content-Range"));
            assertArrayEquals(Arrays.copyOfRange(TEXT, 10, 20), part.body());
            Api.Download tail = api.download(url, Map.of("Range", "bytes=-5"));
            assertEquals(206, tail.status());
            assertArrayEquals(Arrays.copyOfRange(TEXT, TEXT.length - 5, TEXT.length), tail.body());
            Api.Download open = api.download(url, Map.of("Range", "bytes=30-"));
            assertArrayEquals(Arrays.copyOfRange(TEXT, 30, TEXT.length), open.body());
            Api.Download beyond = api.download(url, Map.of("Range", "bytes=1000-"));
            assertEquals(416, beyond.status());
            assertEquals("bytes */" + TEXT.length, beyond.header("Content-Range"));
            assertEquals(200, api.download(url, Map.of("Range", "bytes=0-1", "If-Range", "\"stale\"")).status(), "a stale If-Range gets the whole file");
            assertEquals(206, api.download(url, Map.of("Range", "bytes=0-1", "If-Range", etag)).status());
            assertEquals(200, api.download(url, Map.of("Range", "lines=1-2")).status());
        });
    }

    @Test
    void filesThatAreNotImagesAreDownloadsWithTheirName() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            byte[] pdf = "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
            String url = uploaded(ann, "Rechnung März.pdf", "application/pdf", pdf).get("url").asText();
            Api.Download served = api.download(url, Map.of());
            assertEquals("application/pdf", served.header("Content-Type"));
            assertEquals("attachment; filename=\"Rechnung M_rz.pdf\"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf", served.header("Content-Disposition"));
            assertEquals("sandbox", served.header("Content-Security-Policy"));
        });
    }

    @Test
    void anUnsentUploadIsItsUploadersAlone() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            Chat eve = Chat.signUp(api, "eve@example.com");
            JsonNode upload = uploaded(ann, "a.txt", "text/plain", TEXT);
            long id = upload.get("id").asLong();
            Api.Download asEve = api.download("/uploads/" + id, Map.of("Authorization", "Bearer " + eve.token()));
            assertEquals(404, asEve.status());
            Api.Download missing = api.download("/uploads/999999", Map.of("Authorization", "Bearer " + eve.token()));
            assertEquals(404, missing.status());
            assertEquals(new String(missing.body(), StandardCharsets.UTF_8), new String(asEve.body(), StandardCharsets.UTF_8),
                    "someone else's upload and no upload look the same");
            // A link made for Ann does not open for Eve's session either: it names Ann's session, and checks it.
            String url = upload.get("url").asText();
            String forged = url.replace("uid=" + ann.userId(), "uid=" + eve.userId());
            assertNotEquals(url, forged);
            assertEquals(404, api.download(forged, Map.of()).status());
            assertProblem(eve.get("/uploads/abc"), 404, "not_found");
        });
    }

    static String query(String url, String name) {
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            if (pair.startsWith(name + "=")) return pair.substring(name.length() + 1);
        }
        throw new AssertionError(name + " not in " + url);
    }
}
