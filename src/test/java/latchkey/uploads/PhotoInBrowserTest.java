package latchkey.uploads;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import latchkey.support.Chat;
import latchkey.support.Chromium;
import latchkey.support.Harness;
import latchkey.support.TestImages;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static latchkey.support.Api.json;
import static latchkey.uploads.UploadsTest.uploaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "done when" of uploads in a real headless Chromium: a page on another origin (where a chat
 * app's own dev server would be) shows a member the photo and its thumbnail in plain
 * {@code <img>} tags, from nothing but the links in the message JSON: no Authorization header,
 * no cookie. The same tags with the access-token route, a tampered signature or another member's
 * link after that member signed out show nothing.
 */
class PhotoInBrowserTest {
    private static final Pattern RESULT = Pattern.compile("<pre id=\"result\">([^<]*)</pre>");

    @Test
    void aMembersImgTagsShowThePhotoFromTheMessageJsonAndNothingElseDoes() throws Exception {
        Chromium.requireInstalled();
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            long room = ann.createRoom("Family", true, bob);
            long photo = uploaded(ann, "IMG_0042.JPG", "image/jpeg", TestImages.jpegWithGps(800, 600)).get("id").asLong();
            assertEquals(201, ann.post("/rooms/" + room + "/messages", json("attachment_ids", List.of(photo))).status());
            String annsLink = served(api.base(), ann.messages(room, "").at("/messages/0/attachments/0/url").asText());
            assertEquals(204, api.post("/auth/logout", json("refresh_token", ann.session().refreshToken())).status());

            JsonNode seen = bob.messages(room, "").at("/messages/0/attachments/0");
            String url = served(api.base(), seen.get("url").asText());
            String thumbnail = served(api.base(), seen.get("thumbnail_url").asText());
            String tampered = url.substring(0, url.length() - 2) + (url.endsWith("A") ? "BB" : "AA");
            String page = """
                    <!doctype html><html><body>
                    <img id="photo" src="%s"><img id="thumbnail" src="%s">
                    <img id="token_route" src="%s"><img id="tampered" src="%s"><img id="signed_out" src="%s">
                    <pre id="result"></pre>
                    <script>
                      window.addEventListener('load', () => {
                        const shown = id => { const img = document.getElementById(id);
                          return id + '=' + (img.complete && img.naturalWidth > 0 ? img.naturalWidth + 'x' + img.naturalHeight : 'none'); };
                        document.getElementById('result').textContent =
                          ['photo', 'thumbnail', 'token_route', 'tampered', 'signed_out'].map(shown).join(' ');
                      });
                    </script>
                    </body></html>
                    """.formatted(url, thumbnail, api.base() + "/uploads/" + photo, tampered, annsLink);

            HttpServer app = appOrigin(page);
            try {
                String dom = Chromium.dumpDom("http://127.0.0.1:" + app.getAddress().getPort() + "/", true).stdout();
                Matcher result = RESULT.matcher(dom);
                assertTrue(result.find(), dom);
                assertEquals("photo=800x600 thumbnail=320x240 token_route=none tampered=none signed_out=none", result.group(1));
            } finally {
                app.stop(0);
            }
        });
    }

    /** The signed link as the test server answers it: app.public-url is the deployment's address, the test server's port is random. */
    private static String served(String base, String link) {
        URI uri = URI.create(link);
        return base + uri.getRawPath() + "?" + uri.getRawQuery();
    }

    /** A page on an origin of its own, as a chat app's dev server would serve it. */
    private static HttpServer appOrigin(String page) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = page.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }
}
