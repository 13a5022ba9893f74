package latchkey.db;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL's LISTEN/NOTIFY on two connections of their own: what one node sends on a channel,
 * every node listening on it hears (itself included). A listening connection that is lost is
 * opened again, and its listener told so: what was sent in between is not replayed by PostgreSQL.
 */
public final class Notifications implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    private static final int POLL_MILLIS = 250;
    /** A silent network (no reset) would leave the listener waiting forever; a query every few seconds finds it out. */
    private static final long PROBE_MILLIS = 5_000;
    private static final long RETRY_MILLIS = 1_000;

    public interface Listener {
        void received(String payload);

        /**
         * The listening connection was lost and is back. {@code lostAtMillis} (system time) is the
         * last moment it was known to listen: whatever was sent since may have been missed.
         */
        void reconnected(long lostAtMillis);
    }

    private final ConnectionPool.Opener opener;
    private final String channel;
    private final Listener listener;
    private final Thread listening;
    private final ExecutorService sender;
    /** Used by the sender thread only. */
    private Connection sendConnection;
    private volatile Connection listenConnection;
    private volatile boolean closed;

    Notifications(ConnectionPool.Opener opener, String channel, Listener listener) {
        if (!channel.matches("[a-z_]+")) throw new IllegalArgumentException("a channel is a plain lower-case name");
        this.opener = opener;
        this.channel = channel;
        this.listener = listener;
        this.sender = Executors.newSingleThreadExecutor(r -> daemon(r, "notify-" + channel));
        this.listening = daemon(this::listen, "listen-" + channel);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    void start() {
        listening.start();
    }

    /** Sends {@code payload} (at most 8,000 bytes) to every listener, in the order of the calls; never blocks the caller. */
    public void send(String payload) {
        if (!closed) sender.execute(() -> sendNow(payload));
    }

    private void sendNow(String payload) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (sendConnection == null || sendConnection.isClosed()) sendConnection = opener.open();
                try (PreparedStatement s = sendConnection.prepareStatement("SELECT pg_notify(?, ?)")) {
                    s.setString(1, channel);
                    s.setString(2, payload);
                    s.execute();
                }
                return;
            } catch (SQLException e) {
                closeQuietly(sendConnection);
                sendConnection = null;
                if (attempt == 2 || closed) {
                    // The other nodes' listeners are most likely cut off too, and reload when they are back.
                    LOG.warn("a notification on {} could not be sent: {}", channel, e.getMessage());
                    return;
                }
            }
        }
    }

    private void listen() {
        long lastListening = -1;
        while (!closed) {
            try (Connection c = opener.open()) {
                listenConnection = c;
                try (Statement s = c.createStatement()) {
                    // Named, so that an operator (or a test) can tell it in pg_stat_activity.
                    s.execute("SET application_name = 'latchkey-listen'");
                    s.execute("LISTEN " + channel);
                }
                if (lastListening >= 0) listener.reconnected(lastListening);
                PGConnection pg = c.unwrap(PGConnection.class);
                long probed = System.currentTimeMillis();
                while (!closed) {
                    PGNotification[] received = pg.getNotifications(POLL_MILLIS);
                    long now = System.currentTimeMillis();
                    if (now - probed >= PROBE_MILLIS) {
                        try (Statement s = c.createStatement()) {
                            s.execute("SELECT 1");
                        }
                        probed = now;
                    }
                    lastListening = now;
                    if (received != null) {
                        for (PGNotification n : received) listener.received(n.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) return;
                if (lastListening < 0) lastListening = System.currentTimeMillis();
                LOG.warn("listening on {} stopped ({}); trying again in {} ms", channel, e.getMessage(), RETRY_MILLIS);
                sleep(RETRY_MILLIS);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            if (c != null) c.close();
        } catch (SQLException ignored) {
            // it is being replaced
        }
    }

    @Override
    public void close() {
        closed = true;
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(listenConnection);
        try {
            listening.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The sender thread has stopped; its connection is no longer used.
        closeQuietly(sendConnection);
    }
}
