package latchkey;

import io.javalin.Javalin;
import latchkey.config.Config;
import latchkey.config.ConfigException;
import latchkey.db.Database;
import latchkey.db.Vendor;
import latchkey.events.EventBus;
import latchkey.tokens.JwtSecret;
import latchkey.users.UserService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

/** The command line: {@code serve} (the default), {@code grant-admin EMAIL}, {@code migrate}, {@code --help}, {@code --version}. */
final class Cli {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_CONFIG = 2;
    /** Not an exit code: the server runs on its own threads until it is stopped. */
    static final int SERVING = -1;
    private static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    private Cli() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "serve" : args[0];
        try {
            return switch (command) {
                case "serve" -> args.length == 1 || args.length == 0 ? serve(Config.load()) : usage(err);
                case "grant-admin" -> args.length == 2 ? grantAdmin(Config.load(), args[1], out, err) : usage(err);
                case "migrate" -> args.length == 1 ? migrate(Config.load(), out) : usage(err);
                case "--help", "-h", "help" -> {
                    out.print(help());
                    yield OK;
                }
                case "--version", "-V", "version" -> {
                    out.println("latchkey " + version());
                    yield OK;
                }
                default -> usage(err);
            };
        } catch (ConfigException e) {
            err.println("latchkey: configuration error: " + e.getMessage());
            return BAD_CONFIG;
        } catch (IllegalStateException e) {
            err.println("latchkey: " + e.getMessage());
            return FAILED;
        }
    }

    private static int usage(PrintStream err) {
        err.println("latchkey: unknown command or arguments; see java -jar latchkey.jar --help");
        return BAD_CONFIG;
    }

    static String version() {
        String v = Cli.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    static String help() {
        StringBuilder s = new StringBuilder();
        s.append("Latchkey ").append(version()).append(": a JWT authentication server\n\n");
        s.append("Usage: java -jar target/latchkey.jar [command]\n\n");
        s.append("Commands:\n");
        s.append("  serve               start the HTTP server (the default)\n");
        s.append("  grant-admin EMAIL   make the user with this email an administrator, then exit\n");
        s.append("  migrate             apply pending database migrations, then exit\n");
        s.append("  --version           print the version\n");
        s.append("  --help              print this help\n\n");
        s.append("Configuration: app.properties in the working directory, then environment variables.\n\n");
        s.append(String.format("  %-30s %-28s %s%n", "key", "environment variable", "default"));
        for (Config.Key key : Config.KEYS) {
            s.append(String.format("  %-30s %-28s %s%n", key.name(), key.envName(), key.defaultValue().isEmpty() ? "(empty)" : key.defaultValue()));
            s.append(String.format("      %s%n", key.description()));
        }
        return s.toString();
    }

    private static int grantAdmin(Config config, String email, PrintStream out, PrintStream err) {
        try (Database db = Database.open(config.dbUrl(), config.dbUsername(), config.dbPassword())) {
            if (!new UserService(db, new EventBus(), List.of(), Clock.systemUTC()).grantAdmin(email)) {
                err.println("latchkey: no user with email " + email);
                return FAILED;
            }
            out.println("latchkey: " + email + " is now an administrator (new tokens carry the role)");
            return OK;
        }
    }

    private static int migrate(Config config, PrintStream out) {
        int applied = Database.migrate(config.dbUrl(), config.dbUsername(), config.dbPassword());
        out.println("latchkey: " + applied + " migration(s) applied to " + Vendor.withoutQuery(config.dbUrl()));
        return OK;
    }

    private static int serve(Config config) {
        // Jetty pads its queues to a cache line and asks JMX how wide a reference is; starting the
        // platform MBean server for that cost about 50 ms and 330 classes of a one-core start.
        // 16 references of 4 bytes (compressed oops, any heap under 32 GB) fill a 64-byte line.
        if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null) System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, "16");
        Logger log = LoggerFactory.getLogger("latchkey");
        long started = System.nanoTime();
        Database db = Database.open(config.dbUrl(), config.dbUsername(), config.dbPassword());
        collectStartupGarbage();
        JwtSecret secret = JwtSecret.resolve(config, db);
        Javalin app = Main.app(config, db, secret, Clock.systemUTC());
        collectStartupGarbage();
        new Shutdown(app, db, log).install();
        app.start(config.serverPort());
        String url = "http://localhost:" + app.port();
        log.info("""
                Latchkey {} is up in {} ms
                  listening     {}
                  database      {}
                  configuration {}
                  JWT secret    {}
                  API docs      {}""",
                version(), (System.nanoTime() - started) / 1_000_000, url,
                Database.file(config.dbUrl()).map(Object::toString).orElse(Vendor.withoutQuery(config.dbUrl())),
                config.source().map(p -> p + " (+ environment)").orElse("built-in defaults (+ environment)"),
                describe(secret),
                config.docsEnabled() ? url + "/docs" : "off (docs.enabled=false)");
        return SERVING;
    }

    /**
     * Between the phases of a start (migrations, then building the app, then Jetty) nearly all that
     * was allocated is garbage: class-file bytes, Flyway's scan of the jar, parsed configuration.
     * Collecting it there lets the next phase reuse the young generation's pages instead of
     * touching new ones, so a server that has just started holds about 40 MB less (idle RSS 175 to
     * 137 MB on one core). On one core each collection takes about 20 ms, and together they replace
     * the full collection that the metaspace threshold would otherwise force a little later.
     * Under load the young generation fills anyway; this changes nothing there.
     */
    private static void collectStartupGarbage() {
        System.gc();
    }

    private static String describe(JwtSecret secret) {
        return switch (secret.source()) {
            case CONFIGURED -> "from configuration";
            case GENERATED -> secret.file().map(f -> "generated and saved to " + f + " (mode 600)").orElse("generated and stored in the database");
            case LOADED -> secret.file().map(f -> "loaded from " + f).orElse("loaded from the database");
            case EPHEMERAL -> "generated for this run only (in-memory database)";
        };
    }
}
