package latchkey.sessions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Prunes dead sessions and refresh tokens once an hour, so the tables do not grow without end. */
public final class Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final SessionService sessions;
    private ScheduledExecutorService timer;

    public Housekeeping(SessionService sessions) {
        this.sessions = sessions;
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
            int removed = sessions.prune();
            if (removed > 0) LOG.info("housekeeping: removed {} expired or ended sessions and refresh tokens", removed);
        } catch (RuntimeException e) {
            LOG.warn("housekeeping failed; will try again in an hour", e);
        }
    }
}
