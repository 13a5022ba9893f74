package latchkey.realtime;

import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.Graceful;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Part of Jetty's graceful stop: once the HTTP requests in flight have finished (and so published
 * what they committed), every socket gets those events and then a 1001 close.
 */
public final class RealtimeShutdown implements Graceful {
    private static final long WAIT_FOR_REQUESTS_MILLIS = 20_000;
    private static final long WAIT_FOR_CLOSES_MILLIS = 2_000;

    private final GracefulHandler requests;
    private final Hub hub;
    private volatile boolean shutdown;

    public RealtimeShutdown(GracefulHandler requests, Hub hub) {
        this.requests = requests;
        this.hub = hub;
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        shutdown = true;
        return CompletableFuture.runAsync(() -> {
            waitFor(() -> requests.getCurrentRequestCount() == 0, WAIT_FOR_REQUESTS_MILLIS);
            hub.closeAll().join();
            waitFor(() -> hub.openSockets() == 0, WAIT_FOR_CLOSES_MILLIS);
        });
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    private static void waitFor(BooleanSupplier condition, long maxMillis) {
        long deadline = System.currentTimeMillis() + maxMillis;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
