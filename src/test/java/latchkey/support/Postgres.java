package latchkey.support;

import latchkey.db.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests, started once per test JVM from the binaries of Debian's
 * {@code postgresql} package ({@code .ci/run} installs it) in a temporary folder, on a free port,
 * and stopped when the JVM exits. PostgreSQL refuses to run as root, so as root it runs as
 * {@code nobody}. Each test gets a database of its own, copied from one that is already migrated.
 *
 * <p>fsync is off: it guards against a crash of the machine, which no test makes, and copying a
 * database for every test would otherwise wait for the disk each time.
 */
public final class Postgres {
    public static final String USER = "postgres";
    private static final String TEMPLATE = "latchkey_template";
    private static Postgres server;

    private final Path dir;
    private final List<String> runAs;
    private final Path bin;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();

    private Postgres(Path dir, List<String> runAs, Path bin, int port) {
        this.dir = dir;
        this.runAs = runAs;
        this.bin = bin;
        this.port = port;
    }

    /** The test JVM's server, started on first use. */
    public static synchronized Postgres server() {
        if (server == null) server = start();
        return server;
    }

    private static Postgres start() {
        try {
            Path bin = binaries();
            Path dir = Files.createTempDirectory("latchkey-pg");
            List<String> runAs = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                runAs.addAll(List.of("runuser", "-u", "nobody", "--"));
                run(List.of("chown", "nobody", dir.toString()), List.of());
            }
            Postgres pg = new Postgres(dir, runAs, bin, freePort());
            pg.run(pg.bin.resolve("initdb").toString(), "-D", pg.data().toString(), "-U", USER, "-A", "trust",
                    "-E", "UTF8", "--locale=C", "--no-sync");
            pg.startServer();
            Runtime.getRuntime().addShutdownHook(new Thread(pg::stop));
            pg.admin("CREATE DATABASE " + TEMPLATE);
            Database.migrate(pg.url(TEMPLATE), USER, "");
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("can not start the test PostgreSQL server", e);
        }
    }

    /** The newest PostgreSQL of Debian's packages, or the folder named by LATCHKEY_PG_BIN. */
    private static Path binaries() throws IOException {
        String configured = System.getenv("LATCHKEY_PG_BIN");
        if (configured != null && !configured.isEmpty()) return Path.of(configured);
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("no PostgreSQL server here: install Debian's postgresql package (.ci/run does) or set LATCHKEY_PG_BIN");
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow(() -> new IllegalStateException("no initdb under " + root));
        }
    }

    /** Starts the server (again, after {@link #stopServer}), waiting until it accepts connections. */
    public void startServer() {
        try {
            run(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("server.log").toString(), "-w",
                    "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                    "start");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server as an operator's restart does: every connection is ended ("fast" shutdown). */
    public void stopServer() {
        try {
            run(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new, migrated database of its own: its JDBC URL (user {@link #USER}, no password). */
    public String freshDatabase() {
        String name = "test_" + databases.incrementAndGet();
        admin("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
        return url(name);
    }

    /** Drops a database made by {@link #freshDatabase()}, closing whatever still holds it. */
    public void drop(String url) {
        admin("DROP DATABASE IF EXISTS " + url.substring(url.lastIndexOf('/') + 1) + " WITH (FORCE)");
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void admin(String sql) {
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void stop() {
        try {
            run(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop");
        } catch (RuntimeException | IOException ignored) {
            // the JVM is exiting; the folder goes with the machine's temp files
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // as above
        }
    }

    private void run(String... command) throws IOException {
        run(List.of(command), runAs);
    }

    private static void run(List<String> command, List<String> prefix) throws IOException {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed:\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", full), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
