package latchkey.mail;

import latchkey.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Sends queued mail on a thread of its own, oldest first, one at a time: requests never wait for
 * SMTP. A mail is deleted from the queue once sent; a failed one waits {@code mail.retry-initial},
 * doubling with each failure up to {@code mail.retry-max}, and is dropped (with a warning) when it
 * is still not out {@code mail.give-up-after} after it was queued. Delivery is at least once: a
 * crash between the server's "accepted" and the delete sends that one mail again. Each mail is
 * claimed before it is sent ({@link MailDao#claim}), so that of several nodes on one PostgreSQL
 * database only one sends it.
 *
 * <p>The log names a mail by id, kind and the type of the failure, never by address, link or token.
 */
public final class MailWorker {
    private static final Logger LOG = LoggerFactory.getLogger(MailWorker.class);
    private static final int BATCH = 20;
    /** With nothing due, look again at least this often (a row another process queued). */
    private static final long IDLE_MILLIS = 60_000;
    /**
     * A mail just queued waits this long, so that its sending (a token, a commit, SMTP) does not
     * compete with the answer to the request that queued it: that answer takes the same time
     * whether or not a mail follows. Mails queued meanwhile go out together.
     */
    private static final long AFTER_WAKE_MILLIS = 50;
    /** How long a mail being sent is this node's; longer than any SMTP exchange takes. */
    private static final long LEASE_MILLIS = 5 * 60_000;
    /** How long a stop waits for the mail being sent; one cut off stays queued and goes out after the restart. */
    private static final long STOP_WAIT_MILLIS = 5_000;

    /** How long to wait after each failure, and when to give up. */
    public record Retry(Duration initial, Duration max, Duration giveUpAfter) {
        long delayMillis(int failuresBefore) {
            long delay = initial.toMillis() << Math.min(failuresBefore, 30);
            return delay <= 0 || delay > max.toMillis() ? max.toMillis() : delay;
        }
    }

    private final MailQueue queue;
    private final Database db;
    private final Clock clock;
    private final Composer composer;
    private final Mailer mailer;
    private final Retry retry;
    private volatile boolean stopping;
    private Thread thread;

    public MailWorker(MailQueue queue, Composer composer, Mailer mailer, Retry retry) {
        this.queue = queue;
        this.db = queue.db();
        this.clock = queue.clock();
        this.composer = composer;
        this.mailer = mailer;
        this.retry = retry;
    }

    /** After a restart (perhaps with a mended SMTP setting) every queued mail is tried at once, not at the end of its backoff. */
    public synchronized void start() {
        LOG.info("mail: {}", mailer.describe());
        db.writer().useExtension(MailDao.class, dao -> dao.dueNow(clock.millis()));
        stopping = false;
        thread = new Thread(this::run, "mail");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops after the mail being sent, if any; what is still queued goes out after the next start. */
    public synchronized void stop() {
        if (thread == null) return;
        stopping = true;
        queue.wake();
        try {
            thread.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    private void run() {
        while (!stopping) {
            long wait;
            try {
                wait = sendDue();
            } catch (RuntimeException e) {
                LOG.warn("mail: the queue can not be read ({}); trying again shortly", e.getClass().getSimpleName());
                wait = retry.initial().toMillis();
            }
            try {
                if (queue.await(wait) && !stopping) Thread.sleep(AFTER_WAKE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Sends every mail that is due; returns how long until the next one is. */
    long sendDue() {
        List<QueuedMail> due;
        do {
            due = db.read(MailDao.class, dao -> dao.due(clock.millis(), BATCH));
            for (QueuedMail mail : due) {
                if (stopping) return 0;
                attempt(mail);
            }
        } while (due.size() == BATCH);
        Optional<Long> next = db.read(MailDao.class, MailDao::nextAttemptAt);
        return next.map(at -> Math.max(1, at - clock.millis())).orElse(IDLE_MILLIS);
    }

    private void attempt(QueuedMail queued) {
        long now = clock.millis();
        // Several nodes share the queue on PostgreSQL: the one that takes a mail sends it, the others pass.
        if (db.writer().withExtension(MailDao.class, dao -> dao.claim(queued.id(), now, now + LEASE_MILLIS)) == 0) return;
        try {
            Optional<Mail> mail = queue.isSuperseded(queued) ? Optional.empty() : composer.compose(queued);
            if (mail.isPresent()) mailer.send(mail.get());
            db.writer().useExtension(MailDao.class, dao -> dao.delete(queued.id()));
        } catch (Exception e) {
            failed(queued, e);
        }
    }

    private void failed(QueuedMail mail, Exception e) {
        String why = describe(e);
        long now = clock.millis();
        if (now - mail.createdAt() >= retry.giveUpAfter().toMillis()) {
            db.writer().useExtension(MailDao.class, dao -> dao.delete(mail.id()));
            LOG.warn("mail {} ({}) dropped: still not sent after {} attempts ({})", mail.id(), mail.kind(), mail.attempts() + 1, why);
            return;
        }
        long delay = retry.delayMillis(mail.attempts());
        db.writer().useExtension(MailDao.class, dao -> dao.retryLater(mail.id(), now + delay, why));
        LOG.warn("mail {} ({}) not sent, attempt {} ({}); next try in {} ms", mail.id(), mail.kind(), mail.attempts() + 1, why, delay);
    }

    /** The chain of exception types: "MailConnectException < ConnectException". Messages may hold addresses. */
    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(e.getClass().getSimpleName());
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 4; depth++, cause = cause.getCause()) {
            s.append(" < ").append(cause.getClass().getSimpleName());
        }
        return s.toString();
    }
}
