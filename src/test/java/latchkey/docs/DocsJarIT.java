package latchkey.docs;

import latchkey.config.Config;
import latchkey.support.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a newcomer meets first, from the packaged jar: --help, the startup block, the docs page. */
class DocsJarIT {
    @TempDir
    Path dir;

    @Test
    void helpListsEveryKeyWithItsEnvironmentVariableAndDefault() throws Exception {
        var help = JarProcess.run(dir, JarProcess.env(dir), "--help");
        assertEquals(0, help.exitCode(), help.stderr());
        for (Config.Key key : Config.KEYS) {
            String shown = key.defaultValue().isEmpty() ? "(empty)" : key.defaultValue();
            assertTrue(help.stdout().lines().anyMatch(line -> line.contains(key.name()) && line.contains(key.envName()) && line.contains(shown)),
                    key.name() + " / " + key.envName() + " / " + shown + " in\n" + help.stdout());
        }
    }

    /** The jar keeps only some of Swagger UI's files (see the shade filter): the page must still find all it loads. */
    @Test
    void theStartupBlockNamesTheDocsUrlAndTheJarServesTheWholeDocsPage() throws Exception {
        Map<String, String> env = JarProcess.env(dir);
        try (JarProcess server = JarProcess.start(dir, env)) {
            String docsLine = "API docs      http://localhost:" + server.port + "/docs";
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!server.output().contains(docsLine) && System.nanoTime() < deadline) Thread.sleep(50);
            assertTrue(server.output().contains(docsLine), server.output());
            for (String path : List.of("/docs", "/docs/init.js", "/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css",
                    "/docs/index.css", "/docs/favicon-32x32.png", "/docs/favicon-16x16.png", "/openapi.json")) {
                assertEquals(200, server.api.get(path).status(), path);
            }
        }
    }
}
