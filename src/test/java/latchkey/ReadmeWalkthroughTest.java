package latchkey;

import latchkey.support.Harness;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's curl walkthroughs (every section whose heading says "walkthrough"), each run as
 * printed with bash, curl and jq against a fresh test server: the README can not drift from the
 * API. Each request's status must be the one its comment expects.
 */
class ReadmeWalkthroughTest {
    private static final Pattern WALKTHROUGH_HEADING = Pattern.compile("(?mi)^(#{2,3}) (.*walkthrough.*)$");
    private static final String PRINTED_BASE = "http://localhost:8080";
    private static final Pattern BASH_BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern EXPECTED = Pattern.compile("(?m)^#.*\\bexpect (\\d{3})\\b");
    private static final Pattern SENT = Pattern.compile("(?m)^walkthrough-status (\\d{3})$");
    /** Each curl also writes its status to stderr, apart from what the reader sees on stdout. */
    private static final String PRELUDE = """
            set -euo pipefail
            curl() { command curl --write-out '%{stderr}walkthrough-status %{http_code}\\n' "$@"; }
            """;

    @TempDir
    Path dir;

    /** Each walkthrough section's bash blocks joined into one script, by heading. */
    static Map<String, String> walkthroughs() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Map<String, String> scripts = new LinkedHashMap<>();
        Matcher heading = WALKTHROUGH_HEADING.matcher(readme);
        while (heading.find()) {
            // The section runs to the next heading of the same level or higher.
            Matcher next = Pattern.compile("(?m)^#{2," + heading.group(1).length() + "} ").matcher(readme);
            int end = next.find(heading.end()) ? next.start() : readme.length();
            StringBuilder script = new StringBuilder();
            Matcher block = BASH_BLOCK.matcher(readme.substring(heading.end(), end));
            while (block.find()) script.append(block.group(1));
            scripts.put(heading.group(2), script.toString());
        }
        assertTrue(scripts.containsKey("Walkthrough with curl"), "README.md has no '## Walkthrough with curl': " + scripts.keySet());
        return scripts;
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) found.add(m.group(1));
        return found;
    }

    @TestFactory
    Stream<DynamicTest> everyCurlWalkthroughWorksAsPrinted() throws Exception {
        return walkthroughs().entrySet().stream()
                .map(section -> DynamicTest.dynamicTest(section.getKey(), () -> run(section.getKey(), section.getValue())));
    }

    private void run(String name, String script) throws Exception {
        List<String> expected = all(EXPECTED, script);
        assertTrue(expected.size() >= 3 && script.contains(PRINTED_BASE), "no walkthrough found in '" + name + "':\n" + script);
        Path dir = Files.createDirectories(this.dir.resolve(name.replaceAll("[^A-Za-z0-9]+", "-")));
        // Mail goes to db/outbox under the script's working directory, where the recovery walkthrough reads it.
        Harness.test(Map.of("mail.outbox-dir", dir.resolve("db/outbox").toString()), (api, ctx) -> {
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            Process bash = new ProcessBuilder("bash", "-c", PRELUDE + script.replace(PRINTED_BASE, api.base()))
                    .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!bash.waitFor(60, TimeUnit.SECONDS)) {
                bash.destroyForcibly();
                throw new AssertionError("the walkthrough '" + name + "' did not finish");
            }
            String printed = Files.readString(out) + Files.readString(err);
            assertEquals(0, bash.exitValue(), "the walkthrough '" + name + "' failed (it needs bash, curl and jq):\n" + printed);
            assertEquals(expected, all(SENT, Files.readString(err)), "statuses, in order, against the README's expect comments; output:\n" + printed);
        });
    }
}
