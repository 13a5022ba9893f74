package latchkey.realtime;

import latchkey.events.EventBus;
import latchkey.http.FileLinks;
import latchkey.messages.MessageEvent;
import latchkey.messages.ReadEvent;
import latchkey.messages.TypingEvent;
import latchkey.rooms.RoomEvent;
import latchkey.sessions.AccessChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Owns every socket. One thread does all of it, in the order things happened: the bus's events
 * (published after their commits, so each room's changes arrive in sequence order), sockets
 * coming and going, the timers. Each event is serialised once and handed to the sockets of the
 * room's members who are online; nobody else's. The features publish and never see a socket.
 */
public final class Hub {
    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
    /** A user whose last socket closed stays online this long: a quick reconnect shows no flicker. */
    static final long PRESENCE_GRACE_MILLIS = 5_000;
    /**
     * Presence travels through rooms with at most this many members online: in a room of 1,000
     * every arrival would be 1,000 frames, and every reconnect storm a million (large chat
     * services show presence only in small rooms and direct conversations too).
     */
    static final int PRESENCE_MAX_ONLINE = 200;
    private static final long SWEEP_MILLIS = 250;
    /** Under a steady stream of work, sockets are still flushed this often (in tasks): a bound on the added latency. */
    private static final int FLUSH_EVERY_TASKS = 8;
    private static final long NOT_HISTORY = -1;
    /**
     * Work the hub may have waiting. When it is full, whoever publishes waits (the commit thread
     * included): senders slow to the pace at which their messages reach the sockets, instead of
     * piling up a backlog that makes every delivery late.
     */
    static final int MAX_WAITING_TASKS = 64;

    /** A user with sockets (or whose last one closed within the grace). */
    private static final class Online {
        final long userId;
        final List<Socket> sockets = new ArrayList<>(2);
        /** Null until loaded; membership changes that arrive meanwhile wait in {@link #early}. */
        Set<Long> rooms;
        List<RoomEvent> early = new ArrayList<>();
        final CompletableFuture<Void> loaded = new CompletableFuture<>();
        /** Peers were told this user is online. */
        boolean announced;
        long lastSocketClosedAt;

        Online(long userId) {
            this.userId = userId;
        }
    }

    /** What {@link #attach} says to the thread that authenticated the socket. */
    record Attached(boolean accepted, boolean mustLoadRooms, CompletableFuture<Void> roomsLoaded) {
    }

    private final Limits limits;
    private final FileLinks.Signer links;
    private final Clock clock;
    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>(MAX_WAITING_TASKS);
    private final Thread thread;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean stopped;
    private volatile boolean halted;

    // The hub thread's own.
    private final Set<Socket> unauthenticated = new HashSet<>();
    private final Map<Long, Online> users = new HashMap<>();
    private final Map<Long, Set<Online>> roomMembers = new HashMap<>();
    private final Set<Online> inGrace = new HashSet<>();
    /** Sockets with frames waiting in Jetty's buffer; flushed when the hub runs out of work (or every few tasks). */
    private final List<Socket> unflushed = new ArrayList<>();
    private long nextSweep;
    private int sinceFlush;

    public Hub(Limits limits, FileLinks.Signer links, Clock clock) {
        this.limits = limits;
        this.links = links;
        this.clock = clock;
        this.thread = new Thread(this::loop, "realtime-hub");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public void stop() {
        halted = true;
        thread.interrupt();
    }

    /** The events realtime delivers, and the session ends that close sockets. */
    public void listenTo(EventBus events) {
        events.subscribe(MessageEvent.class, e -> submit(() -> onMessage(e)));
        events.subscribe(ReadEvent.class, e -> submit(() -> onRead(e)));
        events.subscribe(TypingEvent.class, e -> submit(() -> onTyping(e)));
        events.subscribe(RoomEvent.class, e -> submit(() -> onRoom(e)));
        events.subscribe(AccessChange.class, e -> submit(() -> onAccess(e)));
    }

    // ---- called by the endpoint, on Jetty's threads

    /** Counts a new socket in, or refuses it when the server has {@code max-sockets} open. */
    boolean admit(Socket socket) {
        if (open.incrementAndGet() > limits.maxSockets() || stopped) {
            open.decrementAndGet();
            return false;
        }
        socket.counted.set(true);
        submit(() -> unauthenticated.add(socket));
        return true;
    }

    /** Registers an authenticated socket under its user; it holds what it is sent until {@link #goLive}. */
    Attached attach(Socket socket) {
        return call(() -> {
            unauthenticated.remove(socket);
            if (socket.isClosed()) return new Attached(false, false, null);
            long userId = socket.principal.userId();
            Online user = users.get(userId);
            boolean fresh = user == null;
            if (fresh) {
                user = new Online(userId);
                users.put(userId, user);
            } else if (user.sockets.size() >= limits.maxSocketsPerUser()) {
                return new Attached(false, false, null);
            }
            socket.hold();
            user.sockets.add(socket);
            inGrace.remove(user);
            return new Attached(true, fresh, user.loaded);
        });
    }

    /** The user's rooms as read after {@link #attach}; the membership changes that came meanwhile are applied on top. */
    void roomsLoaded(Attached attached, long userId, List<Long> roomIds) {
        submit(() -> {
            Online user = users.get(userId);
            if (user == null || user.loaded != attached.roomsLoaded() || user.rooms != null) {
                // The user went offline meanwhile (and may be back as a new entry with its own load): release the waiting thread.
                attached.roomsLoaded().complete(null);
                return;
            }
            user.rooms = new HashSet<>();
            for (long roomId : roomIds) join(user, roomId);
            List<RoomEvent> early = user.early;
            user.early = null;
            for (RoomEvent e : early) applyMembership(user, e);
            user.loaded.complete(null);
        });
    }

    /** The rooms the socket's user is in, as the hub knows them now. */
    Set<Long> roomsOf(Socket socket) {
        return call(() -> {
            Online user = users.get(socket.principal.userId());
            return user == null || user.rooms == null ? Set.<Long>of() : Set.copyOf(user.rooms);
        });
    }

    /**
     * Ends the resume: presence of the peers online, then what was held, less the history
     * changes the replay already carried ({@code replayedUpTo}: per room, the last seq it covered).
     */
    void goLive(Socket socket, Map<Long, Long> replayedUpTo) {
        submit(() -> {
            Online user = users.get(socket.principal.userId());
            if (user == null || socket.isClosed() || !user.sockets.contains(socket)) return;
            for (Online peer : peersOf(user)) {
                if (peer.announced && !peer.sockets.isEmpty()) socket.send(Frames.encode(Frames.Presence.online(peer.userId)), true);
            }
            for (Socket.Held held : socket.held) {
                if (held.seq() != NOT_HISTORY && held.seq() <= replayedUpTo.getOrDefault(held.roomId(), NOT_HISTORY)) continue;
                socket.send(held.frame(), held.ephemeral());
            }
            socket.held = null;
            socket.live = true;
            if (!user.announced) {
                user.announced = true;
                toPeers(user, Frames.encode(Frames.Presence.online(user.userId)));
            }
        });
    }

    /** A socket closed, for whatever reason. */
    void detach(Socket socket) {
        if (!socket.counted.compareAndSet(true, false)) return;
        open.decrementAndGet();
        submit(() -> {
            unauthenticated.remove(socket);
            if (socket.principal == null) return;
            Online user = users.get(socket.principal.userId());
            if (user == null || !user.sockets.remove(socket) || !user.sockets.isEmpty()) return;
            user.lastSocketClosedAt = clock.millis();
            inGrace.add(user);
        });
    }

    int openSockets() {
        return open.get();
    }

    /** Refuses new sockets and closes the open ones with 1001, after delivering everything queued before this call. */
    CompletableFuture<Void> closeAll() {
        stopped = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(() -> {
            for (Online user : users.values()) {
                for (Socket socket : user.sockets) socket.close(CloseCodes.GOING_AWAY, "server stopping");
            }
            for (Socket socket : unauthenticated) socket.close(CloseCodes.GOING_AWAY, "server stopping");
            done.complete(null);
        });
        return done;
    }

    // ---- the hub thread

    private void onMessage(MessageEvent e) {
        toRoom(e.roomId(), () -> new Frames.MessageChange(e.type(), e.roomId(), e.seq(), e.message()), false, e.seq(), 0);
    }

    private void onRead(ReadEvent e) {
        toRoom(e.roomId(), () -> new Frames.Read(e.roomId(), e.userId(), e.seq()), false, NOT_HISTORY, 0);
    }

    private void onTyping(TypingEvent e) {
        toRoom(e.roomId(), () -> new Frames.Typing(e.roomId(), e.userId()), true, NOT_HISTORY, e.userId());
    }

    private void onRoom(RoomEvent e) {
        if (e instanceof RoomEvent.Updated updated) {
            toRoom(e.roomId(), () -> new Frames.RoomUpdated(updated.room()), false, NOT_HISTORY, 0);
        } else if (e instanceof RoomEvent.Deleted deleted) {
            toRoom(e.roomId(), () -> new Frames.RoomDeleted(e.roomId()), false, NOT_HISTORY, 0);
            for (long memberId : deleted.memberIds()) {
                Online user = users.get(memberId);
                if (user != null) applyMembership(user, e);
            }
            roomMembers.remove(e.roomId());
        } else if (e instanceof RoomEvent.MemberJoined joined) {
            Online user = users.get(joined.user().id());
            if (user != null) applyMembership(user, e);
            toRoom(e.roomId(), () -> new Frames.Member("member.joined", e.roomId(), joined.user(), joined.role()), false, NOT_HISTORY, 0);
            if (user != null && user.announced) meetInRoom(user, e.roomId());
        } else if (e instanceof RoomEvent.MemberLeft left) {
            // The one who leaves hears it too, then nothing more of the room.
            toRoom(e.roomId(), () -> new Frames.Member("member.left", e.roomId(), left.user(), left.role()), false, NOT_HISTORY, 0);
            Online user = users.get(left.user().id());
            if (user != null) applyMembership(user, e);
        } else if (e instanceof RoomEvent.RoleChanged changed) {
            toRoom(e.roomId(), () -> new Frames.Member("member.updated", e.roomId(), changed.user(), changed.role()), false, NOT_HISTORY, 0);
        }
    }

    private void onAccess(AccessChange change) {
        if (change instanceof AccessChange.UserChanged) return;
        Online user = users.get(change.userId());
        if (user == null) return;
        for (Socket socket : List.copyOf(user.sockets)) {
            boolean ended = !(change instanceof AccessChange.SessionEnded one) || socket.principal.sessionId() == one.sessionId();
            if (ended) socket.close(CloseCodes.UNAUTHORIZED, "session ended");
        }
    }

    private void applyMembership(Online user, RoomEvent e) {
        if (user.rooms == null) {
            user.early.add(e);
        } else if (e instanceof RoomEvent.MemberJoined) {
            join(user, e.roomId());
        } else if (e instanceof RoomEvent.MemberLeft || e instanceof RoomEvent.Deleted) {
            user.rooms.remove(e.roomId());
            leave(user, e.roomId());
        }
    }

    private void leave(Online user, long roomId) {
        Set<Online> members = roomMembers.get(roomId);
        if (members == null) return;
        members.remove(user);
        if (members.isEmpty()) roomMembers.remove(roomId);
    }

    private void join(Online user, long roomId) {
        user.rooms.add(roomId);
        roomMembers.computeIfAbsent(roomId, id -> new HashSet<>()).add(user);
    }

    /** A user added to a room and its members online learn of each other's presence. */
    private void meetInRoom(Online user, long roomId) {
        Set<Online> members = roomMembers.getOrDefault(roomId, Set.of());
        if (members.size() > PRESENCE_MAX_ONLINE) return;
        ByteBuffer arrived = Frames.encode(Frames.Presence.online(user.userId));
        for (Online peer : members) {
            if (peer == user || !peer.announced || peer.sockets.isEmpty()) continue;
            ByteBuffer present = Frames.encode(Frames.Presence.online(peer.userId));
            for (Socket socket : user.sockets) {
                deliver(socket, present, true, roomId, NOT_HISTORY);
            }
            for (Socket socket : peer.sockets) {
                deliver(socket, arrived, true, roomId, NOT_HISTORY);
            }
        }
    }

    private void toRoom(long roomId, Supplier<Object> frame, boolean ephemeral, long seq, long exceptUserId) {
        Set<Online> members = roomMembers.get(roomId);
        if (members == null) return;
        Object value = null;
        ByteBuffer shared = null;
        boolean perViewer = false;
        for (Online member : members) {
            if (member.userId == exceptUserId || member.sockets.isEmpty()) continue;
            if (value == null) {
                Object made = frame.get();
                value = made;
                FileLinks.Probe probe = new FileLinks.Probe();
                shared = FileLinks.with(probe, () -> Frames.encode(made));
                // Links to uploads (attachments, avatars) are signed for each socket's session; a frame without any is encoded once.
                perViewer = probe.asked();
            }
            for (Socket socket : member.sockets) {
                ByteBuffer text = perViewer ? Frames.encode(value, links, socket.principal) : shared;
                deliver(socket, text, ephemeral, roomId, seq);
            }
        }
    }

    private void toPeers(Online user, ByteBuffer text) {
        for (Online peer : peersOf(user)) {
            for (Socket socket : peer.sockets) {
                deliver(socket, text, true, 0, NOT_HISTORY);
            }
        }
    }

    private Set<Online> peersOf(Online user) {
        Set<Online> peers = new HashSet<>();
        if (user.rooms == null) return peers;
        for (long roomId : user.rooms) {
            Set<Online> members = roomMembers.getOrDefault(roomId, Set.of());
            if (members.size() <= PRESENCE_MAX_ONLINE) peers.addAll(members);
        }
        peers.remove(user);
        return peers;
    }

    /**
     * With more work waiting, a frame waits in Jetty's buffer for the flush, so that a burst
     * reaches each socket in one write; with none, it is written at once (one trip through Jetty's
     * flusher instead of two: at a steady rate most events find the queue empty).
     */
    private void deliver(Socket socket, ByteBuffer text, boolean ephemeral, long roomId, long seq) {
        boolean batch = socket.unflushed || !tasks.isEmpty();
        if (socket.deliver(text, ephemeral, roomId, seq, batch) && batch) markUnflushed(socket);
    }

    private void markUnflushed(Socket socket) {
        if (socket.unflushed) return;
        socket.unflushed = true;
        unflushed.add(socket);
    }

    private void flushAll() {
        for (Socket socket : unflushed) {
            socket.unflushed = false;
            socket.flush();
        }
        unflushed.clear();
    }

    private void sweep(long now) {
        long authDeadline = now - limits.authTimeout().toMillis();
        for (Iterator<Socket> it = unauthenticated.iterator(); it.hasNext(); ) {
            Socket socket = it.next();
            if (socket.isClosed()) {
                it.remove();
            } else if (socket.connectedAt <= authDeadline && !socket.authFrameReceived) {
                it.remove();
                socket.close(CloseCodes.AUTH_TIMEOUT, "no auth frame in time");
            }
        }
        long pingDue = now - limits.pingInterval().toMillis();
        for (Online user : users.values()) {
            for (Socket socket : user.sockets) {
                if (socket.expiresAt.toEpochMilli() <= now) socket.close(CloseCodes.UNAUTHORIZED, "token expired");
                else if (socket.lastPingAt <= pingDue) socket.ping(now);
            }
        }
        for (Iterator<Online> it = inGrace.iterator(); it.hasNext(); ) {
            Online user = it.next();
            if (now - user.lastSocketClosedAt < PRESENCE_GRACE_MILLIS) continue;
            it.remove();
            if (user.announced) toPeers(user, Frames.encode(Frames.Presence.offline(user.userId)));
            if (user.rooms != null) for (long roomId : user.rooms) leave(user, roomId);
            users.remove(user.userId);
        }
    }

    private void loop() {
        nextSweep = clock.millis() + SWEEP_MILLIS;
        while (true) {
            try {
                long wait = nextSweep - clock.millis();
                Runnable task = tasks.poll();
                if (task == null) {
                    flushAll();
                    task = wait > 0 ? tasks.poll(wait, TimeUnit.MILLISECONDS) : null;
                }
                if (task != null) task.run();
                if (++sinceFlush >= FLUSH_EVERY_TASKS) {
                    flushAll();
                    sinceFlush = 0;
                }
                long now = clock.millis();
                if (now >= nextSweep) {
                    sweep(now);
                    nextSweep = now + SWEEP_MILLIS;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("realtime task failed", e);
            }
        }
    }

    private void submit(Runnable task) {
        try {
            while (!halted && !tasks.offer(task, 100, TimeUnit.MILLISECONDS)) {
                // full: wait for the hub to catch up
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> T call(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        submit(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the realtime hub did not answer", e);
        }
    }
}
