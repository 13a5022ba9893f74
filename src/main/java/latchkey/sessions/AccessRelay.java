package latchkey.sessions;

import latchkey.db.Database;
import latchkey.db.Notifications;
import latchkey.events.EventBus;
import latchkey.users.UserDao;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Carries {@link AccessChange}s between the nodes that share one PostgreSQL database, so that a
 * session ended or a user changed on one node is refused or re-read on every node within a
 * second (the access cache forgets it, realtime closes its sockets). Each change this node
 * publishes is sent with PostgreSQL's NOTIFY; each one another node sent is published on this
 * node's bus as if it had happened here. When the listening connection was lost, whatever was sent
 * meanwhile is gone, so the sessions ended and the users changed since shortly before the loss
 * are read from the database and published instead. Does nothing on SQLite.
 */
public final class AccessRelay implements Notifications.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(AccessRelay.class);
    static final String CHANNEL = "latchkey_access";
    /** Looks back further than the loss: the nodes' clocks differ a little, and a commit takes a while to be sent. */
    private static final long RELOAD_MARGIN_MILLIS = 30_000;
    /** Set while a change from another node is published here, so that it is not sent back out. */
    private static final ThreadLocal<Boolean> REMOTE = ThreadLocal.withInitial(() -> false);

    private final Database db;
    private final EventBus events;
    private final Clock clock;
    /** Tells this node's own notifications (PostgreSQL delivers them to it too) from the others'. */
    private final String node = UUID.randomUUID().toString();
    private volatile Notifications notifications;

    public AccessRelay(Database db, EventBus events, Clock clock) {
        this.db = db;
        this.events = events;
        this.clock = clock;
    }

    public void start() {
        Optional<Notifications> started = db.notifications(CHANNEL, this);
        if (started.isEmpty()) return;
        notifications = started.get();
        events.subscribe(AccessChange.class, change -> {
            if (!REMOTE.get()) notifications.send(encode(change));
        });
    }

    public void stop() {
        if (notifications != null) notifications.close();
    }

    @Override
    public void received(String payload) {
        String[] parts = payload.split(" ");
        if (parts[0].equals(node)) return;
        AccessChange change = switch (parts[1]) {
            case "session" -> new AccessChange.SessionEnded(Long.parseLong(parts[2]), Long.parseLong(parts[3]));
            case "sessions" -> new AccessChange.SessionsEnded(Long.parseLong(parts[2]));
            case "user" -> new AccessChange.UserChanged(Long.parseLong(parts[2]));
            default -> null;
        };
        if (change == null) LOG.warn("an access change of an unknown kind came in: {}", parts[1]);
        else publishHere(List.of(change));
    }

    @Override
    public void reconnected(long lostAtMillis) {
        // lostAtMillis is system time; the database holds times of the server's clock.
        long since = clock.millis() - (System.currentTimeMillis() - lostAtMillis) - RELOAD_MARGIN_MILLIS;
        List<AccessChange.SessionEnded> ended = db.read(SessionDao.class, dao -> dao.endedSince(since));
        List<Long> changed = db.read(UserDao.class, dao -> dao.changedSince(since));
        LOG.info("access changes may have been missed while not listening: re-applying {} ended sessions and {} changed users",
                ended.size(), changed.size());
        publishHere(ended);
        publishHere(changed.stream().map(AccessChange.UserChanged::new).toList());
    }

    private void publishHere(List<? extends AccessChange> changes) {
        REMOTE.set(true);
        try {
            changes.forEach(events::publish);
        } finally {
            REMOTE.set(false);
        }
    }

    private String encode(AccessChange change) {
        if (change instanceof AccessChange.SessionEnded e) return node + " session " + e.userId() + " " + e.sessionId();
        if (change instanceof AccessChange.SessionsEnded e) return node + " sessions " + e.userId();
        return node + " user " + change.userId();
    }
}
