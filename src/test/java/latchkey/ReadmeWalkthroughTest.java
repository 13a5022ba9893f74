package latchkey;

import latchkey.support.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's curl walkthrough, run as printed with bash, curl and jq against a test server:
 * the README can not drift from the API. Each request's status must be the one its comment expects.
 */
class ReadmeWalkthroughTest {
    private static final String SECTION = "## Walkthrough with curl";
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

    static String walkthrough() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf(SECTION);
        assertTrue(start >= 0, "README.md has no '" + SECTION + "'");
        int end = readme.indexOf("\n## ", start + SECTION.length());
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        StringBuilder script = new StringBuilder();
        Matcher block = BASH_BLOCK.matcher(section);
        while (block.find()) script.append(block.group(1));
        return script.toString();
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) found.add(m.group(1));
        return found;
    }

    @Test
    void theCurlWalkthroughWorksAsPrinted() throws Exception {
        String script = walkthrough();
        List<String> expected = all(EXPECTED, script);
        assertTrue(expected.size() >= 5 && script.contains(PRINTED_BASE), "no walkthrough found:\n" + script);
        Harness.test((api, ctx) -> {
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            Process bash = new ProcessBuilder("bash", "-c", PRELUDE + script.replace(PRINTED_BASE, api.base()))
                    .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!bash.waitFor(60, TimeUnit.SECONDS)) {
                bash.destroyForcibly();
                throw new AssertionError("the walkthrough did not finish");
            }
            String printed = Files.readString(out) + Files.readString(err);
            assertEquals(0, bash.exitValue(), "the walkthrough failed (it needs bash, curl and jq):\n" + printed);
            assertEquals(expected, all(SENT, Files.readString(err)), "statuses, in order, against the README's expect comments; output:\n" + printed);
        });
    }
}
