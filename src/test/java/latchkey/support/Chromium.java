package latchkey.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium (the {@code chromium} package; {@code .ci/run} installs it), run once
 * per call with a fresh profile and no network of its own. Missing, it fails the test: pages are
 * checked in a real browser or not at all.
 *
 * <p>JavaScript is switched off by the profile's content setting, as a user would switch it off;
 * Chromium's {@code --blink-settings=scriptEnabled=false} would also stop {@code --dump-dom} and
 * {@code --screenshot}, which run script of their own.
 */
public final class Chromium {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 60;

    /** What a run printed: the page (for --dump-dom) and Chromium's own log, console messages included. */
    public record Run(String stdout, String stderr) {
    }

    private Chromium() {
    }

    public static void requireInstalled() {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: install Debian's Chromium with `apt-get update && apt-get install -y chromium`"
                    + " (.ci/run does); the recovery pages are tested in a real browser");
        }
    }

    /** The DOM of the page after it loaded, as Chromium serialises it; the page's console messages (CSP violations too) are in stderr. */
    public static Run dumpDom(String url, boolean javaScript) {
        return run(javaScript, List.of("--enable-logging=stderr", "--v=0", "--dump-dom", url));
    }

    /** A PNG of the page at this window size. */
    public static Run screenshot(String url, Path png, int width, int height, boolean javaScript) {
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.deleteIfExists(png);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Run run = run(javaScript, List.of("--hide-scrollbars", "--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath(), url));
        if (!Files.isRegularFile(png)) throw new AssertionError("chromium wrote no screenshot to " + png + ":\n" + run.stderr());
        return run;
    }

    private static Run run(boolean javaScript, List<String> args) {
        requireInstalled();
        Path profile = null;
        try {
            profile = Files.createTempDirectory("chromium-profile");
            if (!javaScript) {
                Path preferences = Files.createDirectories(profile.resolve("data").resolve("Default")).resolve("Preferences");
                Files.writeString(preferences, "{\"profile\":{\"default_content_setting_values\":{\"javascript\":2}}}");
            }
            Path out = profile.resolve("stdout");
            Path err = profile.resolve("stderr");
            List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--user-data-dir=" + profile.resolve("data")));
            command.addAll(args);
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + command);
            }
            Run run = new Run(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            if (p.exitValue() != 0) throw new AssertionError("chromium exited with " + p.exitValue() + ":\n" + run.stderr());
            return run;
        } catch (IOException e) {
            throw new AssertionError("chromium could not be run: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            if (profile != null) deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a profile left in /tmp is harmless
        }
    }
}
