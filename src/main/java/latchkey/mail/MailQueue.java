package latchkey.mail;

import latchkey.db.Database;
import org.jdbi.v3.core.Handle;

import java.time.Clock;

/**
 * Where features leave mail: a row in {@code mail_queue}, committed with the change that asked
 * for it, so that a crash right after the answer loses nothing. The {@link MailWorker} sends it.
 *
 * <p>The queue keeps its own clock, real time: retries must come due even when the rest of the
 * server runs on a clock that tests move by hand.
 */
public final class MailQueue {
    private final Database db;
    private final Clock clock;
    private final Object signal = new Object();
    private boolean pending;

    public MailQueue(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Queues a mail in its own transaction and wakes the worker. */
    public void send(String kind, Long userId, String to) {
        db.writer().useHandle(h -> enqueue(h, kind, userId, to));
        wake();
    }

    /** Queues a mail inside the caller's transaction; call {@link #wake()} once it has committed. */
    public void enqueue(Handle h, String kind, Long userId, String to) {
        h.attach(MailDao.class).insert(kind, userId, to, clock.millis());
    }

    /** A newer mail of the same kind to the same account is waiting: this one's link would only be voided by it. */
    public boolean isSuperseded(QueuedMail mail) {
        return mail.userId() != null && db.read(MailDao.class, dao -> dao.existsNewer(mail.id(), mail.kind(), mail.userId()));
    }

    public void wake() {
        synchronized (signal) {
            pending = true;
            signal.notifyAll();
        }
    }

    /** Waits until woken or {@code millis} pass; a wake that came while the worker was busy is not lost. True when woken. */
    boolean await(long millis) throws InterruptedException {
        synchronized (signal) {
            if (!pending && millis > 0) signal.wait(millis);
            boolean woken = pending;
            pending = false;
            return woken;
        }
    }

    Database db() {
        return db;
    }

    Clock clock() {
        return clock;
    }
}
