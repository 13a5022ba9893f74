package latchkey.sessions;

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
 */
public final class Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    /** One kind of rows to prune: its name for the log, and the work, which answers how many went. */
    public record Task(String what, IntSupplier prune) {
    }

    private final List<Task> tasks;
    private ScheduledExecutorService timer;

    public Housekeeping(SessionService sessions, Task... more) {
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
