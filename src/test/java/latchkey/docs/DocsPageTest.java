package latchkey.docs;

import latchkey.support.Harness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocsPageTest {
    private static final Pattern LOCAL_ASSET = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"");

    @Test
    void theDocsPageAndEveryFileItLoadsComeFromThisServer() {
        Harness.test((api, ctx) -> {
            var page = api.get("/docs");
            assertEquals(200, page.status());
            assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
            assertTrue(page.header("Content-Security-Policy").contains("script-src 'self'"), page.header("Content-Security-Policy"));
            assertTrue(!page.body().contains("http://") && !page.body().contains("https://"), "the page links outside: " + page.body());

            List<String> assets = new ArrayList<>();
            Matcher m = LOCAL_ASSET.matcher(page.body());
            while (m.find()) assets.add(m.group(1));
            assertTrue(assets.containsAll(List.of("/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css", "/docs/init.js")), assets.toString());
            Map<String, String> types = Map.of(".js", "text/javascript", ".css", "text/css", ".png", "image/png", ".json", "application/json");
            for (String asset : assets) {
                var res = api.get(asset);
                assertEquals(200, res.status(), asset);
                String type = types.get(asset.substring(asset.lastIndexOf('.')));
                assertTrue(res.header("Content-Type").startsWith(type), asset + ": " + res.header("Content-Type"));
                assertTrue(res.body().length() > 100, asset + " is nearly empty");
            }
            var init = api.get("/docs/init.js").body();
            assertTrue(init.contains("url: \"/openapi.json\"") && init.contains("validatorUrl: null"), init);
        });
    }

    @Test
    void anUnknownDocsFileIsAProblem404() {
        Harness.test((api, ctx) -> {
            var res = api.get("/docs/swagger-initializer.js");
            assertEquals(404, res.status());
            assertEquals("not_found", res.code());
        });
    }

    @Test
    void docsEnabledFalseRemovesThePageButNotTheDocument() {
        Harness.test(Map.of("docs.enabled", "false"), (api, ctx) -> {
            assertEquals(404, api.get("/docs").status());
            assertEquals(404, api.get("/docs/swagger-ui-bundle.js").status());
            assertEquals("not_found", api.get("/docs").code());
            assertEquals(200, api.get("/openapi.json").status());
        });
    }
}
