package latchkey.docs;

import io.javalin.http.Context;
import latchkey.http.ApiException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * GET /docs: Swagger UI over /openapi.json. Every file it loads comes from this jar (the page and
 * its start script from our resources, Swagger UI from its webjar), so the docs work with no
 * internet access; the Content-Security-Policy holds the page to this origin.
 */
public final class DocsPage {
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final String WEBJAR_VERSION = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final String OWN = "docs/";
    private static final String CACHE_ASSETS = "public, max-age=3600";

    private record Asset(String resource, String contentType) {
    }

    private static final Asset PAGE = new Asset(OWN + "index.html", "text/html; charset=utf-8");

    private final Map<String, Asset> assets;

    private DocsPage(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /** Finds every file of the page up front: a missing one stops the server at start. */
    public static DocsPage load() {
        String swaggerUi = "META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
        Map<String, Asset> assets = Map.of(
                "init.js", new Asset(OWN + "init.js", "text/javascript; charset=utf-8"),
                "swagger-ui.css", new Asset(swaggerUi + "swagger-ui.css", "text/css; charset=utf-8"),
                "index.css", new Asset(swaggerUi + "index.css", "text/css; charset=utf-8"),
                "swagger-ui-bundle.js", new Asset(swaggerUi + "swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
                "favicon-32x32.png", new Asset(swaggerUi + "favicon-32x32.png", "image/png"),
                "favicon-16x16.png", new Asset(swaggerUi + "favicon-16x16.png", "image/png"));
        Stream.concat(Stream.of(PAGE), assets.values().stream()).forEach(asset -> {
            if (classLoader().getResource(asset.resource()) == null) {
                throw new IllegalStateException("docs page: " + asset.resource() + " is missing from the classpath");
            }
        });
        return new DocsPage(assets);
    }

    /** The webjar's own record of its version, so that the pom is the one place that names it. */
    private static String webjarVersion() {
        try (InputStream in = classLoader().getResourceAsStream(WEBJAR_VERSION)) {
            if (in == null) throw new IllegalStateException("docs page: the swagger-ui webjar is missing from the classpath");
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version");
        } catch (IOException e) {
            throw new IllegalStateException("docs page: " + WEBJAR_VERSION + " can not be read", e);
        }
    }

    public void page(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("Cache-Control", "no-cache");
        send(ctx, PAGE);
    }

    public void asset(Context ctx) {
        Asset asset = assets.get(ctx.pathParam("asset"));
        if (asset == null) throw ApiException.notFound("The docs page has no file of this name.");
        ctx.header("Cache-Control", CACHE_ASSETS);
        send(ctx, asset);
    }

    private static void send(Context ctx, Asset asset) {
        ctx.contentType(asset.contentType()).result(classLoader().getResourceAsStream(asset.resource()));
    }

    private static ClassLoader classLoader() {
        return DocsPage.class.getClassLoader();
    }
}
