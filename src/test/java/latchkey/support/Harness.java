package latchkey.support;

import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import latchkey.Main;
import latchkey.config.Config;
import latchkey.db.Database;
import latchkey.events.EventBus;
import latchkey.tokens.JwtSecret;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a test against a real Latchkey on a free port with a fresh database, through
 * javalin-testtools: a SQLite file, or with {@code -Dlatchkey.test.db=postgresql} (the second
 * surefire run) a database of its own on the test PostgreSQL server ({@link Postgres}). bcrypt cost 4 keeps tests fast; the registration limit is raised so that
 * tests may sign up many users from 127.0.0.1 (the limit tests set their own).
 */
public final class Harness {
    public static final String SECRET = "test-secret-0123456789abcdef0123456789abcdef";
    public static final String PASSWORD = "correct horse battery staple";
    /** True in the run against PostgreSQL. */
    public static final boolean POSTGRESQL = "postgresql".equals(System.getProperty("latchkey.test.db"));

    public interface Body {
        void run(Api api, Context context) throws Exception;
    }

    /** What a test may reach behind the HTTP API: the database (to assert rows), its file, the event bus. */
    public record Context(Database db, Path dbFile, Config config, Javalin app, EventBus events) {
    }

    private Harness() {
    }

    public static Map<String, String> defaults(Path dbFile) {
        Map<String, String> values = new HashMap<>();
        values.put("db.url", "jdbc:sqlite:" + dbFile);
        values.put("jwt.secret", SECRET);
        values.put("bcrypt.cost", "4");
        values.put("ratelimit.register-per-ip-hour", "100000");
        values.put("ratelimit.login-per-ip", "100000");
        values.put("mail.outbox-dir", dbFile.resolveSibling("outbox").toString());
        values.put("uploads.dir", dbFile.resolveSibling("uploads").toString());
        return values;
    }

    public static void test(Body body) {
        test(Map.of(), body);
    }

    public static void test(Map<String, String> overrides, Body body) {
        test(overrides, Clock.systemUTC(), body);
    }

    public static void test(Map<String, String> overrides, Clock clock, Body body) {
        withConfig(overrides, POSTGRESQL, (config, dbFile) -> {
            try (Database db = open(config)) {
                EventBus events = new EventBus();
                Javalin app = Main.app(config, db, JwtSecret.resolve(config, db), clock, events);
                JavalinTest.test(app, (server, client) -> body.run(new Api("http://localhost:" + server.port()),
                        new Context(db, dbFile, config, server, events)));
            }
        });
    }

    public interface TwoNodes {
        void run(Api a, Api b, Context context) throws Exception;
    }

    /**
     * Two Latchkey nodes, each with its own connections, caches and event bus, on one fresh
     * PostgreSQL database: what a load balancer spreads a client's requests over. The context is
     * node A's.
     */
    public static void twoNodes(Map<String, String> overrides, TwoNodes body) {
        withConfig(overrides, true, (config, dbFile) -> {
            try (Database dbA = open(config); Database dbB = open(config)) {
                EventBus events = new EventBus();
                Javalin a = Main.app(config, dbA, JwtSecret.resolve(config, dbA), Clock.systemUTC(), events);
                Javalin b = Main.app(config, dbB, JwtSecret.resolve(config, dbB), Clock.systemUTC(), new EventBus());
                JavalinTest.test(a, (server, client) -> {
                    b.start(0);
                    try {
                        body.run(new Api("http://localhost:" + server.port()), new Api("http://localhost:" + b.port()),
                                new Context(dbA, dbFile, config, server, events));
                    } finally {
                        b.stop();
                    }
                });
            }
        });
    }

    private interface WithConfig {
        void run(Config config, Path dbFile);
    }

    /** The test's configuration over a temporary folder and a fresh database (a SQLite file, or one on the test PostgreSQL), both gone afterwards. */
    private static void withConfig(Map<String, String> overrides, boolean postgresql, WithConfig body) {
        Path dir = null;
        String pgUrl = null;
        try {
            dir = Files.createTempDirectory("latchkey-test");
            Path dbFile = dir.resolve("test.db");
            Map<String, String> values = defaults(dbFile);
            if (postgresql) {
                pgUrl = Postgres.server().freshDatabase();
                values.put("db.url", pgUrl);
                values.put("db.username", Postgres.USER);
            }
            values.putAll(overrides);
            body.run(Config.of(values), dbFile);
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            if (dir != null) deleteQuietly(dir);
            if (pgUrl != null) Postgres.server().drop(pgUrl);
        }
    }

    private static Database open(Config config) {
        return Database.open(config.dbUrl(), config.dbUsername(), config.dbPassword());
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
