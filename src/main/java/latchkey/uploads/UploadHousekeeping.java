package latchkey.uploads;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the uploads' housekeeping every 10 minutes (so that a deleted upload's file is gone within
 * the hour, whatever deleted it), and removes deleted files at once when a request deleted them.
 */
public final class UploadHousekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(UploadHousekeeping.class);
    static final long PERIOD_MINUTES = 10;

    private final Runnable sweep;
    private final Runnable removeTrash;
    private final AtomicBoolean removalQueued = new AtomicBoolean();
    private ScheduledExecutorService timer;

    UploadHousekeeping(Runnable sweep, Runnable removeTrash) {
        this.sweep = sweep;
        this.removeTrash = removeTrash;
    }

    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "upload-housekeeping");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> run(sweep), 0, PERIOD_MINUTES, TimeUnit.MINUTES);
    }

    public synchronized void stop() {
        if (timer != null) timer.shutdownNow();
        timer = null;
    }

    /**
     * Removes deleted uploads' files now, on the housekeeping thread; without one (not started)
     * the next start does. Many deletions at once queue one removal, not one each.
     */
    synchronized void soon() {
        if (timer == null || !removalQueued.compareAndSet(false, true)) return;
        try {
            timer.execute(() -> {
                removalQueued.set(false);
                run(removeTrash);
            });
        } catch (RejectedExecutionException e) {
            removalQueued.set(false);
            // stopping: the next start sweeps
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("upload housekeeping failed; it runs again in {} minutes", PERIOD_MINUTES, e);
        }
    }
}
