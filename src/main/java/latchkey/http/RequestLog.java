package latchkey.http;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One line per request: method, path, status, duration, request id. Never the query string,
 * headers or body, where tokens and passwords travel.
 * <p>
 * Lines are written in the format of the other log lines (slf4j-simple's as configured in
 * {@code simplelogger.properties}: time, level, logger) and switched off the same way
 * ({@code org.slf4j.simpleLogger.log.latchkey.requests=warn}), but not one write per
 * request: a request appends its line to a buffer, and a background thread writes the buffer
 * every {@link #FLUSH_EVERY_MILLIS} ms or as soon as it holds {@link #FLUSH_AT_CHARS}. If the
 * output cannot keep up, requests write the buffer themselves, so memory stays bounded and no line
 * is dropped. {@link #close()} writes what is left.
 */
public final class RequestLog implements AutoCloseable {
    static final long FLUSH_EVERY_MILLIS = 200;
    static final int FLUSH_AT_CHARS = 64 * 1024;
    static final int MAX_PENDING_CHARS = 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger("latchkey.requests");
    private static final String PREFIX = " INFO latchkey.requests - ";
    /** slf4j-simple's {@code dateTimeFormat} in simplelogger.properties, in the JVM's zone as it does. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneId.systemDefault());

    /** The formatted time of the last line: many lines share a millisecond under load. */
    private record Stamp(long millis, String text) {
    }

    private volatile Stamp stamp = new Stamp(Long.MIN_VALUE, "");

    private final PrintStream out;
    /** Guards {@link #pending} and {@link #closed}. */
    private final Object lock = new Object();
    /** Held while a batch is taken and written, so that batches come out in order. */
    private final Object writing = new Object();
    private StringBuilder pending = new StringBuilder(FLUSH_AT_CHARS + 1024);
    private boolean closed;
    /** Started with the first line, so that an app that never serves starts no thread. */
    private Thread writer;

    /** Writes to {@code System.err} as it is at each write, like slf4j-simple. */
    public RequestLog() {
        this(null);
    }

    /** Writes to {@code out}; null: to {@code System.err} as it is at each write. */
    public RequestLog(PrintStream out) {
        this.out = out;
    }

    public void log(Context ctx, Float millis) {
        if (!LOG.isInfoEnabled()) return;
        log(ctx.method().toString(), ctx.path(), ctx.statusCode(), millis, RequestIds.of(ctx));
    }

    /** One line, as {@link #log(Context, Float)} writes it; for callers without a Javalin context. */
    public void log(String method, String path, int status, float millis, String requestId) {
        int tenths = Math.round(millis * 10);
        StringBuilder line = new StringBuilder(128)
                .append(time(System.currentTimeMillis())).append(PREFIX)
                .append(method).append(' ').append(path).append(' ').append(status).append(' ')
                .append(tenths / 10).append('.').append(tenths % 10).append("ms id=").append(requestId).append('\n');
        boolean direct;
        boolean overfull = false;
        synchronized (lock) {
            direct = closed;
            if (!direct) {
                if (writer == null) {
                    writer = new Thread(this::writeLoop, "request-log");
                    writer.setDaemon(true);
                    writer.start();
                }
                int before = pending.length();
                pending.append(line);
                if (before < FLUSH_AT_CHARS && pending.length() >= FLUSH_AT_CHARS) lock.notify();
                overfull = pending.length() >= MAX_PENDING_CHARS;
            }
        }
        if (direct) {
            synchronized (writing) {
                drain();
                write(line);
            }
        } else if (overfull) {
            drain();
        }
    }

    private String time(long millis) {
        Stamp last = stamp;
        if (last.millis() == millis) return last.text();
        String text = TIME.format(Instant.ofEpochMilli(millis));
        stamp = new Stamp(millis, text);
        return text;
    }

    private void writeLoop() {
        while (true) {
            boolean last;
            synchronized (lock) {
                if (!closed && pending.length() < FLUSH_AT_CHARS) {
                    try {
                        lock.wait(FLUSH_EVERY_MILLIS);
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                last = closed;
            }
            drain();
            if (last) return;
        }
    }

    private void drain() {
        synchronized (writing) {
            StringBuilder batch;
            synchronized (lock) {
                if (pending.length() == 0) return;
                batch = pending;
                pending = new StringBuilder(FLUSH_AT_CHARS + 1024);
            }
            write(batch);
        }
    }

    private void write(CharSequence text) {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        PrintStream target = out != null ? out : System.err;
        target.write(bytes, 0, bytes.length);
        target.flush();
    }

    /** Writes what is buffered; later lines are written at once. */
    @Override
    public void close() {
        Thread started;
        synchronized (lock) {
            closed = true;
            lock.notify();
            started = writer;
        }
        if (started != null) {
            try {
                started.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        drain();
    }
}
