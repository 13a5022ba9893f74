package latchkey.sessions;

import latchkey.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Prunes what can no longer be used, once an hour, so the tables do not grow without end: dead
 * sessions and refresh tokens, and whatever else is handed in (the abuse limits' ended windows).
 * Of several nodes on one database, one at a time does it; the others skip that round.
 */
public final class Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    /** One kind of rows to prune: its name for the log, and the work, which answers how many went. */
    public record Task(String what, IntSupplier prune) {
    }

    private final Database db;
    private final List<Task> tasks;
    private ScheduledExecutorService timer;

    public Housekeeping(Database db, SessionService sessions, Task... more) {
        this.db = db;
        List<Task> all = new ArrayList<>();
        all.add(new Task("expired or ended sessions and refresh tokens", sessions::prune));
        all.addAll(List.of(more));
        this.tasks = List.copyOf(all);
    }

    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "housekeeping");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::prune, 1, 60, TimeUnit.MINUTES);
    }

    public synchronized void stop() {
        if (timer != null) timer.shutdownNow();
    }

    void prune() {
        try {
            if (!db.onOneNodeAtATime("housekeeping", this::pruneAll)) LOG.info("housekeeping: another node is at it; skipped");
        } catch (RuntimeException e) {
            LOG.warn("housekeeping failed; will try again in an hour", e);
        }
    }

    private void pruneAll() {
        for (Task task : tasks) {
            try {
                int removed = task.prune().getAsInt();
                if (removed > 0) LOG.info("housekeeping: removed {} {}", removed, task.what());
            } catch (RuntimeException e) {
                LOG.warn("housekeeping of {} failed; will try again in an hour", task.what(), e);
            }
        }
    }
}
