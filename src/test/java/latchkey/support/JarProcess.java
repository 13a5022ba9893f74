package latchkey.support;

import latchkey.config.Config;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar (`target/latchkey.jar`, from failsafe's {@code latchkey.jar} property) run as a
 * separate process in a folder of its own, with output captured to a file.
 */
public final class JarProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    public final int port;
    public final Api api;

    private JarProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.api = new Api("http://localhost:" + port);
    }

    public static Path jar() {
        String jar = System.getProperty("latchkey.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("run through `mvn verify`: the packaged jar is needed (latchkey.jar=" + jar + ")");
        }
        return Path.of(jar);
    }

    /** Environment for a server in {@code dir}: a free port, a database file there, bcrypt cost 4. */
    public static Map<String, String> env(Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("SERVER_PORT", Integer.toString(freePort()));
        env.put("DB_URL", "jdbc:sqlite:" + dir.resolve("latchkey.db"));
        env.put("BCRYPT_COST", "4");
        env.put("RATELIMIT_REGISTER_PER_IP_HOUR", "100000");
        return env;
    }

    /** Starts `java -jar latchkey.jar serve` and waits until /health answers 200. */
    public static JarProcess start(Path dir, Map<String, String> env) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "server", ".log");
        Process p = command(dir, env, List.of()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        JarProcess server = new JarProcess(p, log, Integer.parseInt(env.get("SERVER_PORT")));
        server.awaitHealthy(Duration.ofSeconds(30));
        return server;
    }

    /** Runs a command of the jar to its end: exit code and combined output. */
    public record Run(int exitCode, String stdout, String stderr) {
    }

    public static Run run(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = command(dir, env, List.of(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("latchkey " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static ProcessBuilder command(Path dir, Map<String, String> env, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        // Only the test's own settings: a JWT_SECRET or DOCS_ENABLED in the developer's shell must not leak in.
        for (Config.Key key : Config.KEYS) pb.environment().remove(key.envName());
        pb.environment().putAll(env);
        return pb;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void awaitHealthy(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("the server exited with " + process.exitValue() + ":\n" + output());
            try {
                var res = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not become healthy:\n" + output());
    }

    public Process process() {
        return process;
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** SIGTERM, then waits for the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the server did not stop on SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
