package latchkey;

import io.javalin.Javalin;
import latchkey.db.Database;
import org.slf4j.Logger;
import sun.misc.Signal;

/**
 * Stops the server once, however the stop was asked for. The port closes first (new connections
 * are refused, new requests on open ones get 503), requests in flight finish (up to
 * {@link Main#STOP_TIMEOUT}), then the database is closed, which checkpoints its WAL.
 */
final class Shutdown {
    private final Javalin app;
    private final Database db;
    private final Logger log;
    private boolean done;
    private boolean clean;

    Shutdown(Javalin app, Database db, Logger log) {
        this.app = app;
        this.db = db;
        this.log = log;
    }

    /** Runs on every way out: SIGTERM, Ctrl-C, System.exit. */
    void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "shutdown"));
        try {
            // The JVM answers SIGTERM by running the hooks and exiting 143; an operator's stop is not a failure, so
            // SIGTERM stops here and exits 0. sun.misc.Signal stays supported in jdk.unsupported (JEP 260).
            Signal.handle(new Signal("TERM"), signal -> System.exit(stop() ? Cli.OK : Cli.FAILED));
        } catch (IllegalArgumentException e) {
            log.warn("SIGTERM can not be handled here ({}); a stop still finishes requests, but exits 143", e.getMessage());
        }
    }

    /** Stops the server and closes the database; true when both went cleanly. Later calls wait for the first and return its outcome. */
    synchronized boolean stop() {
        if (done) return clean;
        done = true;
        log.info("stopping: refusing new requests, finishing those in flight (up to {} s)", Main.STOP_TIMEOUT.toSeconds());
        boolean stopped = attempt("stopping the server", app::stop);
        boolean closed = attempt("closing the database", db::close);
        clean = stopped && closed;
        if (clean) log.info("stopped cleanly: requests finished, database closed");
        return clean;
    }

    private boolean attempt(String what, Runnable step) {
        try {
            step.run();
            return true;
        } catch (RuntimeException e) {
            log.error("{} failed", what, e);
            return false;
        }
    }
}
