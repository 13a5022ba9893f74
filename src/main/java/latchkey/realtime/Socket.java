package latchkey.realtime;

import latchkey.identity.Principal;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebSocket. Frames go to Jetty at once (it batches them into few writes); what bounds a slow
 * reader is {@link #pending}, the frames handed to Jetty and not yet written: past a quarter of
 * the queue typing and presence are dropped, when it is full the socket closes with 4429.
 *
 * <p>Until it is live a socket holds what the hub delivers to it, so that a resume can send the
 * missed history first and then exactly what came after it.
 */
final class Socket {
    /** A frame held back during a resume; {@code seq} orders history changes against the replay. */
    record Held(ByteBuffer frame, boolean ephemeral, long roomId, long seq) {
    }

    private static final int MAX_REASON = 120;

    private final Session session;
    /** Jetty's own session under the API one: it takes a frame already encoded, so each event is encoded once for all sockets. */
    private final CoreSession frames;
    private final Limits limits;
    private final AtomicInteger pending = new AtomicInteger();
    private final org.eclipse.jetty.util.Callback written;
    final long connectedAt;
    private volatile boolean closed;

    /** Counted in the hub's open sockets; uncounted once, however many ways it closes. */
    final AtomicBoolean counted = new AtomicBoolean();

    // Set by the thread that authenticates (again on a re-auth), read by the hub.
    volatile Principal principal;
    volatile Instant expiresAt;

    // The hub's own: touched only on its thread.
    boolean live;
    boolean unflushed;
    List<Held> held;
    long lastPingAt;

    Socket(Session session, Limits limits, long now) {
        this.session = session;
        this.limits = limits;
        this.connectedAt = now;
        this.lastPingAt = now;
        this.frames = ((WebSocketSession) session).getCoreSession();
        this.written = org.eclipse.jetty.util.Callback.from(pending::decrementAndGet, failure -> pending.decrementAndGet());
    }

    boolean authenticated() {
        return principal != null;
    }

    /** Its auth frame arrived in time: a slow answer in a reconnect storm is the server's delay, not a missing auth. */
    volatile boolean authFrameReceived;

    void authenticate(Principal principal, Instant expiresAt) {
        this.expiresAt = expiresAt;
        this.principal = principal;
    }

    /**
     * Delivers or holds a frame; the hub's path. A batched frame waits in Jetty's buffer for
     * {@link #flush()}: a burst of events reaches each socket in one write, not one write each.
     * Answers whether a frame went to Jetty.
     */
    boolean deliver(ByteBuffer frame, boolean ephemeral, long roomId, long seq, boolean batch) {
        if (live) return send(frame, ephemeral, batch);
        if (held != null) held.add(new Held(frame, ephemeral, roomId, seq));
        return false;
    }

    void hold() {
        live = false;
        held = new ArrayList<>();
    }

    /** Sends now, whatever the hub holds: the authenticating thread's path (ready, errors, the replay). */
    void send(ByteBuffer frame, boolean ephemeral) {
        send(frame, ephemeral, false);
    }

    private boolean send(ByteBuffer frame, boolean ephemeral, boolean batch) {
        if (closed) return false;
        int waiting = pending.get();
        if (ephemeral && waiting >= limits.dropEphemeralAt()) return false;
        if (waiting >= limits.sendQueue()) {
            close(CloseCodes.TOO_SLOW, "too slow: resume with since");
            return false;
        }
        pending.incrementAndGet();
        // A slice per socket: the bytes are shared, each write keeps its own position.
        frames.sendFrame(new Frame(OpCode.TEXT, frame.slice()), written, batch);
        return true;
    }

    void flush() {
        if (!closed) frames.flush(org.eclipse.jetty.util.Callback.NOOP);
    }

    void ping(long now) {
        lastPingAt = now;
        if (!closed) session.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
    }

    void close(int code, String reason) {
        if (closed) return;
        closed = true;
        // A close frame's reason has room for 123 bytes; ours are ASCII.
        session.close(code, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason, Callback.NOOP);
    }

    boolean isClosed() {
        return closed;
    }
}
